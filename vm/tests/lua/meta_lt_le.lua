local mt = {}
mt.__lt = function(a, b) return a.v < b.v end
mt.__le = function(a, b) return a.v <= b.v end
local function V(x) return setmetatable({v = x}, mt) end
local a, b = V(1), V(2)
print(a < b, a > b, a <= b, a >= b, b <= b, b < b)
local only_lt = {__lt = function(x, y) return x.v < y.v end}
local c = setmetatable({v = 1}, only_lt)
local d = setmetatable({v = 2}, only_lt)
print(c < d, d > c)
print(pcall(function() return c <= d end))
print(pcall(function() return c >= d end))
local r = setmetatable({}, {__lt = function() return 1 end, __le = function() return nil end})
print(r < r, r <= r, r > r, r >= r)
local mixed = setmetatable({}, {__lt = function(x, y) return type(x) .. "<" .. type(y) end})
print(mixed < 1, 1 < mixed, mixed > "s")
print(pcall(function() return {} < {} end))
print(pcall(function() return {} <= {} end))
print(pcall(function() return 1 < {} end))
