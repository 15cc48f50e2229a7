-- expect: error "not enough memory"
local s = string.rep("x", 2e7)
return s .. s .. s .. s
