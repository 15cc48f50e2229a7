print("before error")
local t = nil
print(t.field)
print("never reached")
