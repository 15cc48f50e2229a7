print(("%5.1f"):format(3.14159))
print(("[%s]"):format("x"))
print(("%d items"):format(3))
local fmt = "%s-%s"
print(fmt:format(1, 2), fmt.format(fmt, 3, 4))
print(pcall(fmt.format))
print(pcall(function() return fmt:format(1) end))
print(pcall(function() return ("%d"):format("x") end))
print(pcall(function() return ("%d"):format(1.5) end))
