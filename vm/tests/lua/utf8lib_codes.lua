for p, c in utf8.codes("aé✓𝄞") do print(p, c) end
for p, c in utf8.codes("") do print("never") end
local t = {}
for p, c in utf8.codes("héllo") do t[#t + 1] = p .. ":" .. c end
print(table.concat(t, " "))
print(type(utf8.codes("x")))
local f, s, i = utf8.codes("ab")
print(type(f), s, i)
