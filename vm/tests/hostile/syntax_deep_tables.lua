-- expect: ok
local f, e = load("return " .. string.rep("{", 100000) .. string.rep("}", 100000))
assert(not f and e:find("overflow"), e)
