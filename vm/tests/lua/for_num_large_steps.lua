local c = 0
for i = math.mininteger, math.maxinteger, math.maxinteger do c = c + 1; print(i) end
print("count", c)
c = 0
for i = math.maxinteger, math.mininteger, math.mininteger do c = c + 1; print(i) end
print("count", c)
c = 0
for i = 0, 100, 33 do c = c + 1 end
print("count", c)
c = 0
for i = 100, 0, -33 do c = c + 1 end
print("count", c)
for i = -5, 5, 5 do print(i) end
for i = 5, -5, -5 do print(i) end
for i = 1, 0, -1 do print("down", i) end
