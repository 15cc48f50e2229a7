local s <const> = "hello"
local n <const> = 42
local f <const> = 1.5
print(pcall(function() return s.x.y end))
print(pcall(function() return s() end))
print(pcall(function() return n() end))
print(pcall(function() return n.x end))
print(pcall(function() return s + 1 end))
print(pcall(function() return f | 1 end))
print(pcall(function() return #n end))
print(pcall(function() return n .. {} end))
print(pcall(function() return ("lit")() end))
