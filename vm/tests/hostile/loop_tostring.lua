-- expect: error "instruction limit exceeded"
return tostring(setmetatable({}, {__tostring = function() while true do end end}))
