local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c1(), c2(), c1(), c2())
local function make(start, step)
  return function()
    local cur = start
    start = start + step
    return cur
  end
end
local g = make(10, -3)
print(g(), g(), g(), g())
