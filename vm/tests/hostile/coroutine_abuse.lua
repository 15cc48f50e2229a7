-- expect: ok
local co = coroutine.running()
assert(not pcall(coroutine.resume, co) or true)
assert(not coroutine.resume(coroutine.create(function() error("x") end)))
local w = coroutine.wrap(function() end)
w()
assert(not pcall(w))
assert(not pcall(coroutine.yield))
for i = 1, 1000 do coroutine.wrap(function() coroutine.yield() end)() end
