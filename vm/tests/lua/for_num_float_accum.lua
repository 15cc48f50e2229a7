local c = 0
for i = 0, 1, 0.1 do c = c + 1 end
print(c)
c = 0
for i = 1, 0, -0.25 do c = c + 1 end
print(c)
for x = 0.5, 2 do print(x) end
for x = 1, 2, 0.75 do print(x) end
for x = -1.5, -3, -0.5 do print(x) end
print(pcall(function() for i = 1, 10, 0.0 do end end))
print(pcall(function() for i = 1, 2, -0.0 do end end))
for i = 1, 3.9999 do print("lim", i) end
for i = -1, -3.5, -1 do print("neglim", i) end
