-- expect: error "instruction limit exceeded"
-- A finalizer that never ends: stopped, and the limit stays exceeded afterwards.
setmetatable({}, {__gc = function() while true do end end})
collectgarbage()
collectgarbage()
local n = 0
for i = 1, 100 do n = n + i end
