-- expect: error-contains "overflow"
local t
t = setmetatable({}, {__index = function(s, k) return t[k] end})
return t.x
