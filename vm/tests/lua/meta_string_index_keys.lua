local s = "abc"
print(s[1], s.x, s["len"] == string.len)
print(type(("abc").len), #s)
print(pcall(function() s.y = 1 end))
print(pcall(function() s[1] = "z" end))
local mt = getmetatable("")
print(rawget(mt, "__index") == string, rawget(mt, "__newindex"))
