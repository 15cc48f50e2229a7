local function show(t, n) local r = {} for i = 1, n do r[i] = tostring(t[i]) end return table.concat(r, ",") end
local t = {1, 2, 3, 4, 5}
print(table.move(t, 1, 3, 2) == t, show(t, 6))
t = {1, 2, 3, 4, 5}
table.move(t, 2, 5, 1)
print(show(t, 5))
t = {1, 2, 3, 4, 5}
table.move(t, 1, 5, 3)
print(show(t, 7))
t = {1, 2, 3}
table.move(t, 1, 0, 2)
print(show(t, 3))
t = {1, 2, 3}
table.move(t, 1, 3, 1)
print(show(t, 3))
local a, b = {1, 2, 3}, {"x", "y", "z", "w"}
print(table.move(a, 1, 3, 2, b) == b, show(b, 4), show(a, 3))
local c = table.move({10, 20, 30}, 2, 3, 1, {})
print(show(c, 3))
local d = table.move({1, 2}, 1, 2, -1)
print(d[-1], d[0], d[1], d[2])
