local mt = {__lt = function(a, b)
  local x = type(a) == "table" and a.v or a
  local y = type(b) == "table" and b.v or b
  return x < y
end, __le = function(a, b)
  local x = type(a) == "table" and a.v or a
  local y = type(b) == "table" and b.v or b
  return x <= y
end}
local v = setmetatable({v = 5}, mt)
print(v < 10, 10 < v, v > 3, 3 > v, v <= 5, 5 >= v, v >= 6)
print(pcall(function() return v < "a" end))
local s = setmetatable({v = "m"}, mt)
print(s < "z", "a" < s)
