local count = 0
for i = 1, 3 do count = count + i end
print("count", count)
print(count + undefined_var)
