local mt = {
  __unm = function(a, b) return "unm:" .. a.n .. ":" .. tostring(rawequal(a, b)) end,
  __bnot = function(a, b) return "bnot:" .. a.n .. ":" .. tostring(rawequal(a, b)) end,
}
local x = setmetatable({n = "x"}, mt)
print(-x, ~x)
print(- -setmetatable({n = "y"}, {__unm = function(a) return 5 end}))
print(pcall(function() return -{} end))
print(pcall(function() return ~{} end))
print(pcall(function() return -"abc" end))
print(pcall(function() return ~1.5 end))
print(-"2", pcall(function() return ~"2" end))
