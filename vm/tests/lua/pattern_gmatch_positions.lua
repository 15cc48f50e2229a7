local s = "the cat sat on the mat"
for st, w, en in s:gmatch("()(%a+)()") do print(st, w, en) end
local c = 0
for _ in s:gmatch("at") do c = c + 1 end
print(c)
local words = {}
for w in s:gmatch("%f[%w]%w+%f[%W]") do words[#words + 1] = w end
print(#words, table.concat(words, "/"))
