-- expect: error "not enough memory"
-- Coroutines parked deep in recursion: their stacks count against the limit.
local t = {}
while true do
  local co = coroutine.wrap(function()
    local function f(n) if n == 0 then coroutine.yield() else f(n - 1) end end
    f(100000)
  end)
  co()
  t[#t + 1] = co
end
