local names = {}
for k, v in pairs(string) do names[#names + 1] = k .. ":" .. type(v) end
table.sort(names)
for _, n in ipairs(names) do print(n) end
local mt = getmetatable("")
local mk = {}
for k in pairs(mt) do mk[#mk + 1] = k end
table.sort(mk)
print(table.concat(mk, " "))
