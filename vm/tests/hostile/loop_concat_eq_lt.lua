-- expect: error "instruction limit exceeded"
local mt = {__concat = function() return 1 end, __eq = function() return true end,
  __lt = function() while true do end end}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
assert(a .. b == 1 and a == b)
return a < b
