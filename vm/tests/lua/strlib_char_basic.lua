print(string.char())
print(#string.char())
print(string.char(72, 105))
print(string.char(0, 65, 0) == "\0A\0")
print(#string.char(0, 0, 0))
print(string.char(255):byte())
print(string.char("65", 66.0))
local t = {}
for i = 97, 122 do t[#t + 1] = i end
print(string.char(table.unpack(t)))
print(string.char(0x4c, 0x75, 0x61))
