local inf = math.huge
print(inf, -inf, math.huge == 1/0)
local nan = 0/0
print(nan ~= nan, nan == nan, nan < nan, nan > 0, nan <= nan)
print(tostring(0/0), tostring(-(0/0)))
print(inf - inf ~= inf - inf)
print(inf + 1, inf * 0 ~= inf * 0, -inf * -1)
print(math.type(inf), math.type(nan))
print(1e308 * 10, -1e308 * 10)
print(string.format("%g %g", inf, -inf))
print(inf > math.maxinteger, -inf < math.mininteger)
print(math.floor(3.7), math.ceil(3.2))
print(pcall(math.floor, inf))
print(math.tointeger(inf), math.tointeger(nan))
