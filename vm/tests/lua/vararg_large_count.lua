local t = {}
for i = 1, 250 do t[i] = i end
local function count(...) return select('#', ...) end
print(count(table.unpack(t)))
local function last(...) return (select(-1, ...)) end
print(last(table.unpack(t)))
local function sum(...)
  local s = 0
  for i = 1, select('#', ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(table.unpack(t)))
local packed = table.pack(table.unpack(t))
print(packed.n, packed[250])
local big = {}
for i = 1, 5000 do big[i] = i end
print(select('#', table.unpack(big)))
print(math.max(table.unpack(big)))
