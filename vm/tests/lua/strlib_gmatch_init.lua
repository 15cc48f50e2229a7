local r = {}
for w in string.gmatch("abcdef", ".", 4) do r[#r + 1] = w end
print(table.concat(r))
r = {}
for w in string.gmatch("abcdef", ".", -2) do r[#r + 1] = w end
print(table.concat(r))
r = {}
for w in string.gmatch("abcdef", ".", 100) do r[#r + 1] = w end
print(#r)
r = {}
for w in string.gmatch("abcdef", "()", 7) do r[#r + 1] = w end
print(table.concat(r, ","))
r = {}
for w in string.gmatch("abcdef", "()", -100) do r[#r + 1] = w end
print(table.concat(r, ","))
print(pcall(string.gmatch, "abc", ".", "x"))
print(pcall(string.gmatch, "abc"))
print(pcall(string.gmatch, nil, "."))
