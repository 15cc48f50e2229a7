-- expect: error "instruction limit exceeded"
local t = setmetatable({}, {__call = function() while true do end end})
t()
