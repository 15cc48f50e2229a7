-- expect: error "instruction limit exceeded"
local x = 0
repeat x = x + 0 until x >= 2
