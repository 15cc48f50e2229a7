local t = {}
for i = 1, 10 do t[i] = i end
print(#t)
t[#t + 1] = 11
print(#t)
t[#t] = nil
print(#t)
for i = #t, 1, -1 do t[i] = nil end
print(#t)
local s = {"a", "b", "c"}
table.insert(s, "d")
table.insert(s, 1, "z")
print(#s, table.concat(s))
print(table.remove(s), table.remove(s, 1), #s, table.concat(s))
print(table.remove({}), #{n = 3}, #{nil})
local strs = {"x", "y"}
strs[3] = "z"
print(#strs)
