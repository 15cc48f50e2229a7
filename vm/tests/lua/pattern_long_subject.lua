local s = ("ab"):rep(5000)
print(#s, select(2, s:gsub("ab", "")))
print(s:find("ba", 9990))
print(#s:match("(a.*)"), #s:match("(a.-)b"))
print(select(2, s:gsub("%f[a]", "")))
local t = {}
for i = 1, 300 do t[i] = tostring(i) end
local csv = table.concat(t, ",")
local sum = 0
for n in csv:gmatch("%d+") do sum = sum + tonumber(n) end
print(sum)
print(select(2, csv:gsub(",", ",")))
print(("x"):rep(100):find(("x"):rep(100) .. "$"))
