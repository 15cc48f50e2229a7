local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
print(hex(string.pack("bxb", 1, 2)))
print(hex(string.pack("bxxxb", 1, 2)))
print(string.unpack("bxb", "\1\0\2"))
print(string.unpack("bxxb", "\1\9\9\2"))
print(string.packsize("xxx"), string.packsize("bx"))
print(hex(string.pack("x")))
print(string.unpack("x", "\0"))
print(pcall(string.unpack, "xx", "\0"))
