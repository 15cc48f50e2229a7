local t = {"a", "b", "c", "d", "e"}
print(table.remove(t, 2), table.concat(t))
print(table.remove(t, 1), table.concat(t))
print(table.remove(t), table.concat(t))
print(table.remove(t, #t), table.concat(t))
print(table.remove(t), #t)
print(table.remove(t), #t)
local u = {1, 2, 3}
table.insert(u, 2, "mid")
print(table.concat(u, ","))
table.insert(u, #u + 1, "end")
print(table.concat(u, ","))
local q = {}
for i = 1, 5 do table.insert(q, i) end
local out = {}
while #q > 0 do out[#out + 1] = table.remove(q, 1) end
print(table.concat(out, ","))
