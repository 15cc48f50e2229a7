local V = {}
V.__index = V
V.__add = function(a, b)
  local av = type(a) == "table" and a.v or tonumber(a)
  local bv = type(b) == "table" and b.v or tonumber(b)
  return setmetatable({v = av + bv}, V)
end
V.__tostring = function(s) return "V" .. s.v end
local v = setmetatable({v = 1}, V)
print(tostring(v + 1), tostring(1 + v), tostring(v + "10"), tostring("10" + v), tostring(v + v))
local s = "5"
print(s + 1, pcall(function() return s + {} end))
