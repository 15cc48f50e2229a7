local seed = 99
local function lcg() seed = (seed * 1103515245 + 12345) % 2147483648; return seed end
local t = {}
for i = 1, 200 do t[i] = lcg() % 10000 - 5000 end
print(math.max(table.unpack(t)), math.min(table.unpack(t)))
local mx, mn = -math.huge, math.huge
for _, v in ipairs(t) do if v > mx then mx = v end if v < mn then mn = v end end
print(mx, mn, math.type(math.max(table.unpack(t))))
print(math.max(1, 2, 3, 4, 5, 4, 3, 2, 1), math.min(5, 4, 3, 2, 1, 2, 3, 4, 5))
print(math.max(-0.0, 0), math.min(0, -0.0))
