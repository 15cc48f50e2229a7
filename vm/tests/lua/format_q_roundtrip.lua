local vals = {0, 1, -1, 2^53, math.maxinteger, math.mininteger, 0.1, -0.0, 1e308, 2^-1074, 1/0, -1/0,
  "", "plain", "\0\1\2", "quote\"s", "new\nline", "\r\n", "\\", "\255\254", "1\0002"}
for i, v in ipairs(vals) do
  local q = string.format("%q", v)
  local back = load("return " .. q)()
  print(i, q:gsub("\n", "<NL>"), back == v, math.type(back) == math.type(v))
end
