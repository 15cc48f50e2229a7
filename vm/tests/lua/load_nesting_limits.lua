local src = "return " .. string.rep("(", 100) .. "1" .. string.rep(")", 100)
print(load(src)())
local deep = "local x = 0 " .. string.rep("do ", 100) .. "x = x + 1 " .. string.rep("end ", 100) .. "return x"
print(load(deep)())
local t = "return " .. string.rep("{", 50) .. string.rep("}", 50)
print(type(load(t)()))
local s = "return 1" .. string.rep(" + 1", 1000)
print(load(s)())
local c = "return 'a'" .. string.rep(" .. 'a'", 100)
print(#load(c)())
local many = {}
for i = 1, 180 do many[#many + 1] = "local v" .. i .. " = " .. i end
many[#many + 1] = "return v1 + v180"
print(load(table.concat(many, "\n"))())
