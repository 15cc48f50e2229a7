local function s(t, f) table.sort(t, f); return table.concat(t, ",") end
print(s({}))
print(s({1}))
print(s({2, 1}))
print(s({3, 1, 2}))
print(s({1, 1, 1, 1}))
print(s({5, 4, 3, 2, 1}))
print(s({1.5, -1, 2, 0, -0.5}))
print(s({3, 2.5, 2, 10}))
print(s({math.maxinteger, math.mininteger, 0, 2^63, -2^62}))
print(s({"b", "a", "c"}, function(a, b) return a > b end))
print(s({1, 2, 3, 4, 5, 6}, function(a, b) return a % 2 < b % 2 or (a % 2 == b % 2 and a < b) end))
local t = {1, 2, 3}
print(table.sort(t), select("#", table.sort(t)))
