print(1 << 64, 1 << 65, 1 << 100, -1 << 64)
print(1 >> 64, -1 >> 64, -1 >> 100)
print(1 << -1, 2 << -1, 8 >> -2, 1 >> -63, 1 >> -64)
print(1 << 63 >> 63, 3 << 62)
print(1 << math.mininteger, 1 >> math.mininteger, 1 << math.maxinteger)
print(-1 >> 0, -1 << 0)
local n = 70
print(1 << n, 1 >> -n)
print(0x8000000000000000 >> 1, 0x8000000000000000 // 2)
