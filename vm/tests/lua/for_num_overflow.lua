local max, min = math.maxinteger, math.mininteger
local c = 0
for i = max - 2, max do c = c + 1; print(i) end
print("count", c)
c = 0
for i = min + 2, min, -1 do c = c + 1; print(i) end
print("count", c)
c = 0
for i = max - 10, max, 4 do c = c + 1; print(i) end
print("count", c)
c = 0
for i = min, min + 5, 100 do c = c + 1; print(i) end
print("count", c)
c = 0
for i = 1, 10, max do c = c + 1; print(i) end
print("count", c)
c = 0
for i = -1, -10, min do c = c + 1; print(i) end
print("count", c)
c = 0
for i = max, max - 1 do c = c + 1 end
print("count", c)
c = 0
for i = 0, max, max // 2 do c = c + 1; print(i) end
print("count", c)
c = 0
for i = 1, 3.7e19 do c = c + 1; if c >= 3 then break end end
print("count", c)
c = 0
for i = min, -3.7e19 do c = c + 1 end
print("count", c)
