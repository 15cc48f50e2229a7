-- expect: ok
local t = {}
local s = tostring(t)
assert(s:match("^table: 0x%x+$"), s)
assert(tostring(t) == s)
assert(string.format("%p", t) == s:match("0x%x+"))
assert(tostring({}) ~= s)
assert(tostring(print):find("^function: "))
