local t = {}
local r = setmetatable(t, {})
print(r == t)
print(setmetatable(t, nil) == t, getmetatable(t))
local mt = {}
local a = setmetatable({}, mt)
local b = setmetatable({}, mt)
print(getmetatable(a) == getmetatable(b))
mt.__index = {shared = "yes"}
print(a.shared, b.shared)
mt.__index = nil
print(a.shared)
local sm = getmetatable("")
print(type(sm), type(sm.__index), sm.__index == string)
print(getmetatable("a") == getmetatable("b"))
