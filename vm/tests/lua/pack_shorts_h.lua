local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
print(hex(string.pack("<h", 1)), hex(string.pack(">h", 1)))
print(hex(string.pack("<h", -2)), hex(string.pack("<H", 65535)))
print(string.unpack("<h", "\255\255"), string.unpack("<H", "\255\255"))
print(string.unpack(">h", "\128\0"), string.unpack(">H", "\128\0"))
print(pcall(string.pack, "h", 32768))
print(pcall(string.pack, "H", 65536))
print(pcall(string.pack, "h", -32769))
print(string.packsize("h"), string.packsize("H"))
