local P = {}
P.__index = P
P.__tostring = function(p) return "P(" .. p.x .. "," .. p.y .. ")" end
P.__concat = function(a, b) return tostring(a) .. tostring(b) end
P.__eq = function(a, b) return a.x == b.x and a.y == b.y end
local function new(x, y) return setmetatable({x = x, y = y}, P) end
local p = new(1, 2)
print(p, tostring(p), p .. "!", "<" .. p)
print(string.format("%s", p))
print(new(1, 2) == new(1, 2), new(1, 2) == new(2, 1))
local parts = {}
for i = 1, 3 do parts[i] = tostring(new(i, i * i)) end
print(table.concat(parts, " "))
print(pcall(table.concat, {p}))
print(select('#', tostring(p)))
