print(type(collectgarbage("count")))
print(collectgarbage("count") > 0)
print(type(collectgarbage()))
print(type(collectgarbage("step")))
print(type(collectgarbage("isrunning")))
local t = {}
for i = 1, 1000 do t[i] = {i} end
t = nil
collectgarbage()
print("after collect")
print(pcall(collectgarbage, "bogus"))
