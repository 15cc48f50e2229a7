local vals = {0.1, 1/3, math.pi, 1e-300, 123456789.123, 2^-1074, 1.7976931348623157e308, -2.5e-8}
for _, v in ipairs(vals) do
  local s17 = string.format("%.17g", v)
  local s14 = string.format("%.14g", v)
  print(s17, s14, tonumber(s17) == v, tostring(v) == s14)
end
