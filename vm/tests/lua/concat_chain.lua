local parts = {}
for i = 1, 5 do parts[i] = "p" .. i end
print(parts[1] .. parts[2] .. parts[3] .. parts[4] .. parts[5])
local a, b, c, d = "a", "b", "c", "d"
print(a .. b .. c .. d .. a .. b .. c .. d)
print((a .. b) .. (c .. d))
print(a .. (b .. (c .. d)))
print(#(string.rep("x", 100) .. string.rep("y", 100)))
print(table.concat({1, 2, 3}, ", "), table.concat({}, "x"), table.concat({"a"}, "x"))
print(table.concat({1, 2, 3, 4, 5}, "-", 2, 4))
print(table.concat({1.5, 2, "z"}))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, nil, 3}, ",", 1, 3))
