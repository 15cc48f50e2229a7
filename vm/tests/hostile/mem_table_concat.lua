-- expect: error "not enough memory"
local t, s = {}, string.rep("y", 1000)
for i = 1, 100000 do t[i] = s end
return table.concat(t)
