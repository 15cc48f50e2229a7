local t = {}
t[1] = "a"; t[2.0] = "b"; t[3] = "c"
print(#t, t[2], t[2.0], t[3.0])
local keys = {}
for k in pairs(t) do keys[#keys + 1] = math.type(k) end
print(table.concat(keys, ","))
t[2^63] = "float key beyond int range"
print(t[2^63], t[math.mininteger])
t[-2^63] = "minint as float"
print(t[math.mininteger])
t[0.5] = "half"
print(t[0.5], t[1/2])
print(rawget(t, 2.0), rawget(t, 3.0))
