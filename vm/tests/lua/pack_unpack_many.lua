local vals = {}
for i = 1, 50 do vals[i] = i * 1000 - 25000 end
local fmt = "<" .. ("i4"):rep(50)
local s = string.pack(fmt, table.unpack(vals))
print(#s)
local back = {string.unpack(fmt, s)}
print(#back, back[1], back[50], back[51])
local ok = true
for i = 1, 50 do if back[i] ~= vals[i] then ok = false end end
print(ok)
