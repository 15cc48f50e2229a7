local parts = {}
for i = 1, 1000 do parts[i] = string.rep("y", 1000) end
print(pcall(function() local all = {} for i = 1, 1e9 do all[i] = parts end return #all end))
print(pcall(table.concat, setmetatable({}, {__index = function() return string.rep("z", 1024) end, __len = function() return 2^40 end})))
