-- expect: error-contains "overflow"
local t
t = setmetatable({}, {__tostring = function(s) return tostring(s) end})
print(t)
