local eq1 = function(a, b) return "eq1" end
local eq2 = function(a, b) return false end
local a = setmetatable({}, {__eq = eq1})
local b = setmetatable({}, {__eq = eq2})
local c = setmetatable({}, {__eq = eq1})
print(a == b, b == a, a == c, a ~= b, b ~= a)
local plain = {}
print(plain == a, a == plain, plain == plain, plain == {})
local onlyb = setmetatable({}, {})
print(onlyb == b, b == onlyb)
local function fn() end
print(a == fn, a == "x", a == 1)
