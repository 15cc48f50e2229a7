-- expect: error-contains "overflow"
local t
t = setmetatable({}, {__call = function(s) return s() + 1 end})
t()
