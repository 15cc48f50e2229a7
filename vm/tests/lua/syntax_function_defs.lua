function global_fn(a) return a end
print(global_fn(1))
local obj = {sub = {}}
function obj.sub.f(x) return "obj.sub.f " .. x end
function obj.sub:m(x) return "method " .. tostring(self == obj.sub) .. " " .. x end
print(obj.sub.f("a"), obj.sub:m("b"))
local function loc(...) return select('#', ...) end
print(loc(1, 2))
local anon = function(a, b, ...) return a, b, ... end
print(anon(1, 2, 3))
local f = function() return function() return "nested" end end
print(f()())
print((function(...) return ... end)(4, 5))
local function defaults(a, b) b = b or "default"; return a, b end
print(defaults(1), defaults(1, false), defaults(1, 2))
print(type(function() end))
local t = {function() return "in table" end}
print(t[1]())
