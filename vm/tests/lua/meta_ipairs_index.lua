local base = {"a", "b", "c"}
local t = setmetatable({}, {__index = base})
for i, v in ipairs(t) do print(i, v) end
local mixed = setmetatable({"x", nil, "z"}, {__index = {[2] = "Y"}})
for i, v in ipairs(mixed) do print(i, v) end
local stop = {1, 2, nil, 4}
local n = 0
for _ in ipairs(stop) do n = n + 1 end
print(n)
local f, s, init = ipairs({})
print(type(f), type(s), init)
print(f({10, 20}, 0))
print(f({10, 20}, 2))
