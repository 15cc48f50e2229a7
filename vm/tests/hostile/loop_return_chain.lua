-- expect: error "instruction limit exceeded"
-- Returning ever more values up a deep chain is quadratic work, charged as it goes.
local function f(n) if n == 0 then return end return n, f(n - 1) end
return select("#", f(150000))
