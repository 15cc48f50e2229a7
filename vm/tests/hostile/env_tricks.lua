-- expect: ok
x = 1
assert(x == 1 and rawget(_ENV, "x") == 1)
assert(rawget(_G, "x") == nil)
local f = load("y = 2")
f()
assert(y == 2 and rawget(_G, "y") == nil)
local g = load("return z", "c", "t", {z = 3})
assert(g() == 3)
do
  local _ENV = {assert = assert}
  w = 5
  assert(w == 5)
end
assert(w == nil)
assert(not pcall(setmetatable, _ENV, {}))
