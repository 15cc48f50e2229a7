print(#{}, #{1}, #{1, 2}, #{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
print(#{n = 1, 1, 2}, #"", #"\0\0\0")
local t = {}
for i = 1, 1000 do t[i] = true end
print(#t)
for i = 1000, 501, -1 do t[i] = nil end
print(#t)
local s = {}
s[1] = 1
s[2] = 2
s[3] = 3
print(#s)
local u = {nil, nil, 3}
print(#u == 3 or #u == 0)
