local w = coroutine.wrap(function()
  local t = nil
  return t.x
end)
print(pcall(w))
local dead = coroutine.wrap(function() end)
dead()
print(pcall(dead))
local co = coroutine.create(function() return 1 end)
coroutine.resume(co)
print(coroutine.resume(co))
print(pcall(coroutine.status, {}))
print(pcall(coroutine.wrap, nil))
