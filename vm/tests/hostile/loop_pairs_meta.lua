-- expect: error "instruction limit exceeded"
-- __pairs is honoured: its iterator never ends
local t = setmetatable({}, {__pairs = function() return function() return 1, 1 end end})
for _ in pairs(t) do end
