local Base = {}
Base.__index = Base
function Base.new(name) local o = setmetatable({}, Base); o.name = name; return o end
function Base:hello() return "Base hello from " .. self.name end
function Base:kind() return "base" end
local Derived = setmetatable({}, {__index = Base})
Derived.__index = Derived
function Derived.new(name) local o = Base.new(name); return setmetatable(o, Derived) end
function Derived:kind() return "derived/" .. Base.kind(self) end
local b, d = Base.new("b"), Derived.new("d")
print(b:hello(), b:kind())
print(d:hello(), d:kind())
print(getmetatable(d) == Derived, rawget(Derived, "hello"))
local Third = setmetatable({extra = function(self) return "extra " .. self:kind() end}, {__index = Derived})
Third.__index = Third
local t = setmetatable({name = "t"}, Third)
print(t:hello(), t:extra())
