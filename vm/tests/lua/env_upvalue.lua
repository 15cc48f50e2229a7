local function getter() return value end
value = "global"
print(getter())
_ENV = setmetatable({value = "replaced"}, {__index = _G})
print(getter())
local save = _ENV
_ENV = _G
print(value, save.value)
local env = {}
local function setx() x = 1 end
local function mk(e)
  local _ENV = e
  return function() return x end
end
env.x = "env x"
print(mk(env)(), mk({x = 5})())
print(_ENV == _G, _G._G == _G)
