local t = {}
for i = 1, 5000 do t[i] = i end
local function count(...) return select("#", ...) end
print(count(table.unpack(t)))
local sum = 0
for _, v in ipairs({table.unpack(t, 4990)}) do sum = sum + v end
print(sum)
print(math.max(table.unpack(t)), math.min(table.unpack(t, 100, 200)))
print(select(-1, table.unpack(t)))
