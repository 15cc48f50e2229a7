-- expect: ok
collectgarbage("stop")
for i = 1, 300000 do local t = {i, i, i} end
collectgarbage("restart")
collectgarbage("setpause", 100000)
collectgarbage("setstepmul", 0)
collectgarbage("incremental", 1e9, 1e9, 1e9)
collectgarbage("generational")
for i = 1, 10 do collectgarbage("step", 1e15) end
assert(collectgarbage("count") < 64 * 1024)
assert(not pcall(collectgarbage, "bogus"))
