local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local fmt = "<i4 d s2 z B h"
local data = string.pack(fmt, -7, 2.5, "str", "zero", 200, -300)
print(#data, string.packsize("<i4 d"))
print(hex(data))
print(string.unpack(fmt, data))
local fmt2 = ">!4 b i4 h d"
local d2 = string.pack(fmt2, 1, 2, 3, 4.5)
print(#d2, string.packsize(fmt2))
print(string.unpack(fmt2, d2))
print(hex(string.pack("   i1   i1  ", 1, 2)))
