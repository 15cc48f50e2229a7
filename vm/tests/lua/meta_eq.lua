local calls = 0
local mt = {__eq = function(a, b) calls = calls + 1; return a.v == b.v end}
local a = setmetatable({v = 1}, mt)
local b = setmetatable({v = 1}, mt)
local c = setmetatable({v = 2}, mt)
print(a == b, a ~= b, a == c, a ~= c, calls)
print(a == a, calls)
print(a == 1, 1 == a, a == "x", a == nil, calls)
local plain = {v = 1}
print(a == plain, plain == a, calls)
local other = setmetatable({v = 1}, {__eq = function() return "truthy" end})
print(other == plain, plain == other)
local z = setmetatable({}, {__eq = function() return nil end})
print(z == {}, z ~= {})
local both1 = setmetatable({}, {__eq = function() return "first" end})
local both2 = setmetatable({}, {__eq = function() error("second called") end})
print(both1 == both2)
print(pcall(function() return both2 == both1 end))
local t = {}
t[a] = "a"
print(t[b], t[a])
