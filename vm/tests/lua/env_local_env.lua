local print = print
do
  local _ENV = {x = 10}
  y = 20
  print(x, y, _ENV.y)
end
print(x, y)
local function with_env()
  local _ENV = setmetatable({}, {__index = _G})
  newglobal = "inside"
  return newglobal, _G.newglobal
end
print(with_env())
print(newglobal)
local function f(_ENV) return a + b end
print(f({a = 1, b = 2}))
local function g()
  local _ENV <const> = {print = print, tostring = tostring}
  print(tostring(z))
end
g()
