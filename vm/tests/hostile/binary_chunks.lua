-- expect: ok
local f, e = load("\27Lua\84\0\25\147\r\n\26\n")
assert(not f and e:find("binary"), e)
f, e = load(function() return nil end, "x", "b")
assert(not f)
local ok, e2 = pcall(string.dump, function() end)
assert(not ok and e2:find("unable to dump"), e2)
