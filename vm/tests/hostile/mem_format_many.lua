-- expect: error "not enough memory"
local s = string.rep("x", 1e7)
local t = {}
for i = 1, 100 do t[i] = s end
return string.format(string.rep("%s", 100), table.unpack(t))
