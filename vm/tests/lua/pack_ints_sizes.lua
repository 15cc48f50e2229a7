local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
for n = 1, 16 do
  local s = string.pack("<i" .. n, -2)
  local u = string.pack("<I" .. n, 5)
  print(n, #s, hex(s), hex(u), (string.unpack("<i" .. n, s)), (string.unpack("<I" .. n, u)))
end
