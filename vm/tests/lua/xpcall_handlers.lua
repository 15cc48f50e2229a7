local function handler(msg) return "handled: " .. tostring(msg) end
print(xpcall(function() error("oops", 0) end, handler))
print(xpcall(function() return "fine", 2 end, handler))
print(xpcall(function(a, b) return a + b end, handler, 3, 4))
print(xpcall(function() error({}) end, function(e) return type(e) end))
print(xpcall(function() local x = nil; return x.y end, function(m) return "H:" .. m end))
print(xpcall(function() error("first", 0) end, function(m) error("handler broke", 0) end))
print(xpcall(function() error("e", 0) end, function(m) return m, "extra" end))
print(pcall(xpcall))
print(pcall(xpcall, print))
print(xpcall(error, function(m) return "got " .. tostring(m) end, "direct", 0))
print(xpcall(function() error("x", 0) end, function() return nil end))
local depth_seen
print(xpcall(function() error("deep") end, function(m) depth_seen = m:match(":(%d+):"); return "ok" end), depth_seen)
