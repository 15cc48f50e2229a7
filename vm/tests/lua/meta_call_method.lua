local Class = setmetatable({}, {__call = function(cls, ...)
  local o = setmetatable({}, cls)
  if cls.init then cls.init(o, ...) end
  return o
end})
Class.__index = Class
function Class:init(a, b) self.a, self.b = a, b end
function Class:sum() return self.a + self.b end
local o = Class(3, 4)
print(o:sum(), getmetatable(o) == Class)
local m = {f = setmetatable({}, {__call = function(self, arg1, arg2) return type(self), type(arg1), arg2 end})}
print(m:f("x"))
print(m.f("y"))
