for i = 1, 3 do print(i) end
for i = 3, 1 do print("never", i) end
for i = 3, 1, -1 do print("down", i) end
for i = 1, 10, 3 do print("step3", i) end
for i = 10, 1, -4 do print("step-4", i) end
for i = 1, 1 do print("once", i) end
local n = 0
for i = 1, 0 do n = n + 1 end
print("zero iterations", n)
for i = 1, 3 do local i = i * 2; print("shadow", i) end
for i = 1, 3 do
  print(math.type(i))
  break
end
