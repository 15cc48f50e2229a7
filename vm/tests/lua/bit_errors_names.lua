local f = 1.5
print(pcall(function() return f & 1 end))
print(pcall(function() local l = 2.5 return 1 | l end))
print(pcall(function() local t = {x = 3.5} return t.x << 1 end))
print(pcall(function() return g >> 1 end))
print(pcall(function() local s = "x" return ~s end))
print(pcall(function() local b = true return b ~ 1 end))
print(pcall(function() local t = {} return 1 & t.k end))
