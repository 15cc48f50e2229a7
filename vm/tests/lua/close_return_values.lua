local function closer() return setmetatable({}, {__close = function() end}) end
local function f(...)
  local c <close> = closer()
  return ...
end
print(f(1, nil, 3))
print(select('#', f()))
local function g()
  local x = 1
  local c <close> = setmetatable({}, {__close = function() x = 100 end})
  return x
end
print(g())
local t = {v = 1}
local function h()
  local c <close> = setmetatable({}, {__close = function() t.v = 2 end})
  return t
end
print(h().v)
local function tail()
  local c <close> = closer()
  return select('#', 1, 2)
end
print(tail())
