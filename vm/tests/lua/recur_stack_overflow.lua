-- functions with big frames overflow the stack quickly (fewer levels needed)
local names = {}
for i = 1, 150 do names[i] = "v" .. i end
local src = "local f; f = function(n) local " .. table.concat(names, ", ") ..
  " = n; return 1 + f(n + 1) end; return f"
local big = load(src)()
local ok, err = pcall(big, 1)
print(ok, type(err), string.find(err, "stack overflow", 1, true) ~= nil)
local src2 = "local g; g = function() local " .. table.concat(names, ", ") ..
  "; local t = {}; t[1] = g(); return t end; return g"
ok, err = pcall(load(src2)())
print(ok, string.find(err, "stack overflow", 1, true) ~= nil)
local mt = {}
mt.__index = function(t, k) return setmetatable({}, mt)[k] end
ok, err = pcall(function() return setmetatable({}, mt).x end)
print(ok, string.find(tostring(err), "stack overflow", 1, true) ~= nil)
print("still alive", pcall(function() return 1 end))
