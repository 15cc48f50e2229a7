-- in 5.4.4 gmatch does not treat a leading "^" as an anchor: it is matched literally
local r = {}
for w in ("hello hello"):gmatch("^hello") do r[#r + 1] = w end
print(#r, table.concat(r, ","))
r = {}
for w in ("^a^b"):gmatch("^.") do r[#r + 1] = w end
print(#r, table.concat(r, ","))
r = {}
for w in ("aaa"):gmatch("^a") do r[#r + 1] = w end
print(#r, table.concat(r, ","))
r = {}
for w in ("ab$ab"):gmatch("b$") do r[#r + 1] = w end
print(#r, table.concat(r, ","))
r = {}
for w in ("abab"):gmatch("b$") do r[#r + 1] = w end
print(#r, table.concat(r, ","))
