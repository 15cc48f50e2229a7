-- getupvalue, setupvalue, upvalueid, upvaluejoin.
local a, b = 1, 2
local function f() return a + b end
local function g() return b end
print(debug.getupvalue(f, 1))
print(debug.getupvalue(f, 2))
print(debug.getupvalue(f, 3), debug.getupvalue(f, 0))
print(debug.setupvalue(f, 1, 10), a, f())
print(debug.setupvalue(f, 5, 10))
print(debug.getupvalue(print, 1))
local main_env = debug.getupvalue(load("return x"), 1)
print(main_env)

print(type(debug.upvalueid(f, 1)))
print(debug.upvalueid(f, 2) == debug.upvalueid(g, 1))
print(debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
print(debug.upvalueid(f, 3), debug.upvalueid(print, 1))

debug.upvaluejoin(f, 1, g, 1)
print(f(), debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
b = 5
print(f())

-- A counter's upvalue shared after the join.
local function counter()
  local n = 0
  return function() n = n + 1 return n end
end
local c1, c2 = counter(), counter()
c1() c1()
debug.upvaluejoin(c2, 1, c1, 1)
print(c2(), c1())

-- Closures with no name for their upvalue (stripped names do not exist here).
local wrapped = coroutine.wrap(function() end)
print(debug.getupvalue(wrapped, 1) ~= nil)

-- Errors.
print(pcall(debug.getupvalue, 1, 1))
print(pcall(debug.getupvalue, f))
print(pcall(debug.setupvalue, f, 1))
print(pcall(debug.upvalueid, f))
print(pcall(debug.upvalueid, {}, 1))
print(pcall(debug.upvaluejoin, f, 9, g, 1))
print(pcall(debug.upvaluejoin, f, 1, g, 9))
print(pcall(debug.upvaluejoin, print, 1, g, 1))
print(pcall(debug.upvaluejoin, f, 1, wrapped, 1))
