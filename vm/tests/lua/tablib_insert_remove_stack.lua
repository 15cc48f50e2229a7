local s = {}
for i = 1, 10 do table.insert(s, i * i) end
print(#s, table.concat(s, " "))
for i = 1, 3 do table.insert(s, 1, -i) end
print(#s, table.concat(s, " "))
local popped = {}
while #s > 5 do popped[#popped + 1] = table.remove(s) end
print(table.concat(popped, " "))
while #s > 0 do popped[#popped + 1] = table.remove(s, 1) end
print(table.concat(popped, " "), #s)
local q = {}
for i = 1, 5 do table.insert(q, 1, i) end
print(table.concat(q, ","))
table.remove(q, 3)
print(table.concat(q, ","))
