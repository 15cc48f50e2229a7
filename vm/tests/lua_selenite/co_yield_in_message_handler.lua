-- Selenite goes beyond lua5.4: an xpcall message handler runs in the dispatch loop on top
-- of the stack where the error happened, so it may yield (lua5.4: "error in error handling").
local co = coroutine.wrap(function()
  return xpcall(function() error("e1") end, function(m) return "got " .. coroutine.yield(m) end)
end)
print(co())
print(co("resumed"))
