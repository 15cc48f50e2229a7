-- expect: error-contains "attempt to call"
local ok, e = pcall(tostring, setmetatable({}, {__tostring = function() return {} end}))
assert(not ok and e:find("__tostring"))
assert(tostring(setmetatable({}, {__name = 42})):find("^table: "))
local t = setmetatable({}, {__name = string.rep("n", 1e6)})
t()
