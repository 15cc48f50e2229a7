local max, min = math.maxinteger, math.mininteger
print(max * 3, min * 3, max * -1, min * min)
print(1 << 62, (1 << 62) * 2, (1 << 62) * 4)
print(max - min, min - max)
print(0x7fffffffffffffff * 0x7fffffffffffffff)
print(123456789123 * 987654321987)
local acc = 1
for i = 1, 25 do acc = acc * i end
print(acc)
local f = 1.0
for i = 1, 25 do f = f * i end
print(f)
print(-max - 1 == min, -(min + 1) == max)
print(max // 1 == max, max % 1, min // 2, min % 2, min // -2)
