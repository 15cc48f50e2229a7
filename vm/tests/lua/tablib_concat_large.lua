local t = {}
for i = 1, 10000 do t[i] = i % 10 end
local s = table.concat(t)
print(#s, s:sub(1, 20), s:sub(-5))
local u = {}
for i = 1, 1000 do u[i] = ("x"):rep(i % 7) end
local c = table.concat(u, "/")
print(#c, select(2, c:gsub("/", "")))
