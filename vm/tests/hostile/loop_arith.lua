-- expect: error "instruction limit exceeded"
local t = setmetatable({}, {__add = function() while true do end end})
return t + 1
