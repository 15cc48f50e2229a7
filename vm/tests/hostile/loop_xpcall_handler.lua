-- expect: error "instruction limit exceeded"
local ok = xpcall(error, function() while true do end end)
assert(not ok)
while true do end
