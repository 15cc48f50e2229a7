local max, min = math.maxinteger, math.mininteger
print(max + 1 == min, max + 1)
print(min - 1 == max, min - 1)
print(max * 2, min * 2, max * max)
print(-min, -min == min)
print(min * -1)
print(max + max, min + min)
local x = max
x = x + 1
print(math.type(x), x)
print(0x7fffffffffffffff + 1)
print(0xffffffffffffffff, 0x10000000000000000)
