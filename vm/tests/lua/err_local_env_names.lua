local function f()
  local _ENV = {}
  return x + 1
end
print(pcall(f))
local function g()
  local _ENV = {}
  x()
end
print(pcall(g))
local function h()
  local _ENV = nil
  return y
end
print(pcall(h))
local env = {}
local function k()
  local _ENV <const> = env
  return z.w
end
print(pcall(k))
local function m(_ENV) return a .. "" end
print(pcall(m, {}))
