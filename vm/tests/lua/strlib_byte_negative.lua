-- negative indices for string.byte
local s = "abcdefgh"
print(s:byte(-1))
print(s:byte(-3, -1))
print(s:byte(-8))
print(s:byte(-9))
print(s:byte(-100, 3))
print(s:byte(-2, -3))
print(s:byte(3, -3))
print(s:byte(math.mininteger, 2))
print(s:byte(1, math.maxinteger))
print(select('#', s:byte(math.maxinteger)))
print(select('#', s:byte(-1, math.mininteger)))
