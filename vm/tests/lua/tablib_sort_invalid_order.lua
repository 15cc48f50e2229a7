local t = {}
for i = 1, 100 do t[i] = i end
print(pcall(table.sort, t, function(a, b) return true end))
local u = {}
for i = 1, 10 do u[i] = 11 - i end
print(pcall(table.sort, u, function(a, b) return true end))
local v = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}
print(pcall(table.sort, v, function(a, b) return a <= b end))
