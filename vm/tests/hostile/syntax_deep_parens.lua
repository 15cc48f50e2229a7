-- expect: ok
local f, e = load(string.rep("(", 100000) .. "1" .. string.rep(")", 100000))
assert(not f and e:find("overflow"), e)
f, e = load("return " .. string.rep("(", 100000) .. "1" .. string.rep(")", 100000))
assert(not f and e:find("overflow"), e)
