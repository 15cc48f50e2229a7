-- expect: error "instruction limit exceeded"
local t = setmetatable({}, {__len = function() return 1e15 end})
table.remove(t, 1)
