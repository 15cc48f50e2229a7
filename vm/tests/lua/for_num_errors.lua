print(pcall(function() for i = 1, 10, 0 do end end))
print(pcall(function() for i = 1.0, 10, 0.0 do end end))
print(pcall(function() for i = "a", 10 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, nil do end end))
print(pcall(function() for i = nil, 2 do end end))
print(pcall(function() for i = "1", 2 do end end))
print(pcall(function() for i = 1, "2" do end end))
print(pcall(function() local s = "x" for i = 1, 2, s do end end))
for i = "1", 2 do print("string init", i, math.type(i)) end
for i = 1, "2" do print("string limit", i, math.type(i)) end
for i = 1, 2, "1" do print("string step", i, math.type(i)) end
