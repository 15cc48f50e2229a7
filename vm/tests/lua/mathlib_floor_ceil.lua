local vals = {3.7, -3.7, 3.0, -3.0, 0.5, -0.5, -0.0, 0.0, 2^52 + 0.5, 1e100, -1e100, 2^63, -2^63, 1/0, -1/0, 7, -7}
for _, v in ipairs(vals) do
  local f, c = math.floor(v), math.ceil(v)
  print(v, f, math.type(f), c, math.type(c))
end
print(math.floor(math.mininteger), math.ceil(math.maxinteger))
print(math.floor("3.5"), math.ceil("3.5"), math.floor("10"))
local nan = math.floor(0/0)
print(nan ~= nan, math.type(nan))
print(pcall(math.floor))
print(pcall(math.ceil, "x"))
print(pcall(math.floor, {}))
