-- Selenite goes beyond lua5.4: a load reader function may yield.
local co = coroutine.wrap(function()
  local pieces = {"return ", "1 ", "+ ", "41"}
  local i = 0
  local f = load(function() i = i + 1; coroutine.yield("piece " .. i); return pieces[i] end)
  return f()
end)
for _ = 1, 5 do print(co()) end
print(co())
