print(math.pi, string.format("%.17g", math.pi))
print(math.huge, -math.huge, math.huge == 1/0)
print(math.maxinteger, math.mininteger)
print(math.maxinteger + 1 == math.mininteger, math.mininteger - 1 == math.maxinteger)
print(math.type(math.pi), math.type(math.huge), math.type(math.maxinteger))
print(math.maxinteger + 0.0, math.mininteger + 0.0)
print(math.maxinteger // -1, math.mininteger // -1, math.mininteger % -1)
-- only the standard 5.4 names (a build may add compatibility functions)
local std = {"abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log", "max",
  "maxinteger", "min", "mininteger", "modf", "pi", "rad", "random", "randomseed", "sin", "sqrt", "tan",
  "tointeger", "type", "ult"}
for _, k in ipairs(std) do print(k, type(math[k])) end
print(math.deg(math.pi), math.rad(180) == math.pi, math.deg(1) == 180 / math.pi, math.rad(0), math.deg(0))
