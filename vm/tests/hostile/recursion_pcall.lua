-- expect: ok
local n = 0
local function f() n = n + 1; pcall(f) end
f()
assert(n > 100)
