local parts = {}
for i = 0, 255 do parts[#parts + 1] = string.char(i) end
local all = table.concat(parts)
print(#all)
local sum = 0
for i = 1, #all do sum = sum + all:byte(i) end
print(sum)
local b = {all:byte(1, -1)}
print(#b, b[1], b[128], b[256])
print(string.char(table.unpack(b)) == all)
print(all:sub(66, 91))
print(all:reverse():byte(1), all:reverse():byte(-1))
print(all:upper():sub(98, 123), all:lower():sub(66, 91))
