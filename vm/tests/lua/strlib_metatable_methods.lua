local mt = getmetatable("")
print(type(mt), type(mt.__index), mt.__index == string)
print(getmetatable("abc") == getmetatable(""))
print(("x"):rep(3))
local s = "Hello"
print(s:upper(), s:lower(), s:len(), #s)
print(s:sub(2, 3), s:byte(1), s:reverse())
print(("%d-%s"):format(5, "x"))
print(("a,b,c"):gsub(",", ";"))
print(#"", #"\0\0")
print(type(("abc").len), ("abc").len == string.len)
print(("abc").nosuch)
print(s["upper"](s))
local keys = {}
for k in pairs(string) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "))
