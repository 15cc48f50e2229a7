local s = "a\0b\0c"
print(#s, s:len(), s:byte(2), s:sub(3, 3))
print(s == "a\0b\0c", s < "a\0c", #(s .. s))
print(("\0"):rep(3) == "\0\0\0", #("\0"):rep(10))
local t = {}
t[s] = "zero key"
print(t["a\0b\0c"], t["a"])
print(("x\0y"):upper() == "X\0Y")
