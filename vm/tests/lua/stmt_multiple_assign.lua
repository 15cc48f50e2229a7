local a, b, c = 1, 2, 3
a, b, c = c, a, b
print(a, b, c)
local t = {}
t[1], t[2], t[3] = "x", "y"
print(t[1], t[2], t[3])
local function two() return "p", "q" end
local x, y, z = two()
print(x, y, z)
x, y, z = two(), two()
print(x, y, z)
x, y, z = 0, two()
print(x, y, z)
local i = 1
local arr = {10, 20, 30}
i, arr[i] = 2, 99
print(i, arr[1], arr[2])
local u, v = 1
print(u, v)
local g1, g2 = nil
print(g1, g2)
local m = {n = {}}
m.n.a, m.n.b = 5, 6
print(m.n.a + m.n.b)
local p = 1
p, p = 2, 3
print(p == 2 or p == 3)
