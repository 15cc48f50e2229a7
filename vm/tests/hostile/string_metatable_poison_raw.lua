-- expect: ok
local mt = getmetatable("")
assert(not pcall(rawset, mt, "__index", {}))
assert(not pcall(rawset, mt.__index, "upper", print))
assert(not pcall(setmetatable, mt, {}))
assert(("x"):rep(3) == "xxx")
