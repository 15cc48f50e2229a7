local function inf(n) return 1 + inf(n + 1) end
local ok, err = pcall(inf, 1)
print(ok, type(err), string.find(err, "stack overflow", 1, true) ~= nil)
local function inf2() local t = {} ; t[1] = inf2() ; return t end
ok, err = pcall(inf2)
print(ok, string.find(err, "stack overflow", 1, true) ~= nil)
local mt = {}
mt.__index = function(t, k) return setmetatable({}, mt)[k] end
ok, err = pcall(function() return setmetatable({}, mt).x end)
print(ok, string.find(tostring(err), "stack overflow", 1, true) ~= nil)
print("still alive", pcall(function() return 1 end))
