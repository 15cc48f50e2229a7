local seed = 987654321
local function lcg() seed = (seed * 1103515245 + 12345) % 2147483648; return seed end
local t = {}
for i = 1, 1000 do t[i] = lcg() % 5000 - 2500 end
table.sort(t, function(a, b) return a > b end)
local ok = true
for i = 2, #t do if t[i - 1] < t[i] then ok = false end end
local cs = 0
for i = 1, #t do cs = (cs * 31 + t[i] + 2500) % 1000000007 end
print(ok, cs, t[1], t[1000])
local calls = 0
local u = {}
for i = 1, 200 do u[i] = lcg() % 1000 end
table.sort(u, function(a, b) calls = calls + 1; return a < b end)
ok = true
for i = 2, #u do if u[i - 1] > u[i] then ok = false end end
print(ok, calls > 0)
-- sort by a derived key
local recs = {}
for i = 1, 300 do recs[i] = {id = i, key = lcg() % 50} end
table.sort(recs, function(a, b) if a.key ~= b.key then return a.key < b.key end return a.id < b.id end)
local cs2 = 0
for i = 1, #recs do cs2 = (cs2 * 7 + recs[i].id) % 1000003 end
print(recs[1].key, recs[300].key, cs2)
