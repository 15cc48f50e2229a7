-- Each coroutine has its own hook.
local log = {}
local co = coroutine.create(function(a)
  local b = a + 1
  coroutine.yield(b)
  local c = b * 2
  return c
end)
debug.sethook(co, function(e, l) log[#log + 1] = "co " .. e .. " " .. tostring(l) end, "lcr")
print(debug.gethook(co) ~= nil, select(2, debug.gethook(co)))
print(debug.gethook())
print(coroutine.resume(co, 1))
print(coroutine.resume(co))
print(table.concat(log, "\n"))

-- A new coroutine inherits the mask and count, but not the function.
local n = 0
debug.sethook(function() n = n + 1 end, "l", 4)
local co2 = coroutine.create(function() local z = 1; return z end)
local h2, m2, c2 = debug.gethook(co2)
debug.sethook()
print(h2, m2, c2)
print(coroutine.resume(co2))
print(n)

-- Hooks of the main thread are not called for code running in a coroutine.
local w = coroutine.wrap(function(x)
  for i = 1, 3 do coroutine.yield(i) end
end)
local ev = {}
debug.sethook(function(e, l) ev[#ev + 1] = e end, "c")
w()
debug.sethook()
print(table.concat(ev, ","))

-- The main thread's hook set from inside a coroutine.
local ml = {}
local main = coroutine.running()
local co3 = coroutine.wrap(function()
  debug.sethook(main, function(e, l) ml[#ml + 1] = l end, "l")
  local inco = 1
  return 1
end)
co3()
local after = 2
debug.sethook()
print(table.concat(ml, " "))

-- Two coroutines with different hooks, interleaved.
local A, B = {}, {}
local ca = coroutine.create(function()
  for i = 1, 2 do
    coroutine.yield()
  end
end)
local cb = coroutine.create(function()
  coroutine.yield()
  coroutine.yield()
end)
debug.sethook(ca, function(e, l) A[#A + 1] = l end, "l")
debug.sethook(cb, function(e) B[#B + 1] = e end, "cr")
for _ = 1, 3 do
  coroutine.resume(ca)
  coroutine.resume(cb)
end
print(table.concat(A, " "))
print(table.concat(B, " "))
print(coroutine.status(ca), coroutine.status(cb))
