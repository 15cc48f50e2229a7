math.randomseed(42)
local r = {}
for i = 1, 10 do r[i] = math.random(1, 100) end
print(table.concat(r, " "))
for i = 1, 5 do print(string.format("%.17g", math.random())) end
print(math.random(0))
print(math.random(0))
print(math.random(3.0), math.random(10))
print(math.random(-5, 5), math.random(math.mininteger, math.maxinteger))
math.randomseed(42)
local r2 = {}
for i = 1, 10 do r2[i] = math.random(1, 100) end
print(table.concat(r2, " ") == table.concat(r, " "))
