local a = 1
local b = 2
print(a + b)
local s = [[x
y]]
print(#s, s == "x\ny")
local t = "a\
b"
print(#t)
print(pcall(function() return nil + 1 end))
