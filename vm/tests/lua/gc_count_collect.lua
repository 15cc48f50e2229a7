local before = collectgarbage("count")
do
  local t = {}
  for i = 1, 20000 do t[i] = {i} end
end
local mid = collectgarbage("count")
collectgarbage()
local after = collectgarbage("count")
print(mid > before, after < mid, type(after), math.type(after))
print(collectgarbage("isrunning"))
collectgarbage("stop")
print(collectgarbage("isrunning"))
collectgarbage("restart")
print(collectgarbage("isrunning"))
print(collectgarbage("collect"))
