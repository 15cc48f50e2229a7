local samples = {nil, true, 0, 0.5, "s", {}, print, function() end, coroutine.create(function() end)}
for i = 1, 9 do print(i, type(samples[i])) end
print(type(type), type(nil), type(type(nil)))
print(math.type(1), math.type(1.0), math.type("1"), math.type({}))
print(pcall(math.type))
