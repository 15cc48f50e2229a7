local base_mt = {__add = function() return "added" end, __index = function() return "idx" end}
local Base = setmetatable({}, base_mt)
local derived = setmetatable({}, {__index = Base})
print(Base + 1)
print(pcall(function() return derived + 1 end))
print(derived.anything)
local mt = {}
mt.__index = mt
mt.__tostring = function() return "via mt" end
local obj = setmetatable({}, mt)
print(tostring(obj))
local proto = {__add = function() return "from proto" end}
local mt2 = setmetatable({}, {__index = proto})
local obj2 = setmetatable({}, mt2)
print(pcall(function() return obj2 + 1 end))
print(mt2.__add ~= nil)
