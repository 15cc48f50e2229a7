-- LCG (numerical recipes constants) to get a deterministic array
local seed = 12345
local function lcg() seed = (seed * 1664525 + 1013904223) % 4294967296; return seed end
local t = {}
for i = 1, 1000 do t[i] = lcg() % 100000 end
local sum = 0
for i = 1, #t do sum = sum + t[i] end
table.sort(t)
local ok = true
for i = 2, #t do if t[i - 1] > t[i] then ok = false end end
local sum2, cs = 0, 0
for i = 1, #t do sum2 = sum2 + t[i]; cs = (cs * 31 + t[i]) % 1000000007 end
print(#t, ok, sum == sum2, cs, t[1], t[500], t[1000])
