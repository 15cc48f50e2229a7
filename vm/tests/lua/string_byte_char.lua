local s = "Lua 5.4"
local bytes = {s:byte(1, -1)}
print(#bytes, table.concat(bytes, ","))
print(string.char(table.unpack(bytes)))
print(s:byte(0), s:byte(100), s:byte(-100, 2))
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local str = table.concat(all)
print(#str, str:byte(1), str:byte(256), str:byte(129))
print(("\0"):byte(), #string.char(0, 0))
print(string.char(0x41, 0x42):lower())
