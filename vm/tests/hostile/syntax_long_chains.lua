-- expect: ok
-- Inputs that used to compile in quadratic time.
assert(load("if x then " .. string.rep("elseif x then ", 200000) .. " end"))
local f, e = load("while x do " .. string.rep("if x then break end ", 200000) .. " end")
assert(not f and e:find("too many labels/gotos"), e)
assert(load("local t = {" .. string.rep("1,", 1000000) .. "}"))
