local t = {}
t[1] = "int"; t[1.5] = "float"; t["1"] = "string"; t[true] = "bool"
local f = function() end
t[f] = "func"
local tk = {}
t[tk] = "table"
print(t[1], t[1.0], t[1.5], t["1"], t[true], t[f], t[tk], t[{}])
print(pcall(function() t[nil] = 1 end))
print(pcall(function() t[0/0] = 1 end))
print(t[nil], t[0/0])
t[2^53] = "big"
print(t[2^53], t[9007199254740992])
t[-0.0] = "zero"
print(t[0])
t[math.maxinteger + 0.0] = "maxf"
print(t[math.maxinteger], t[2^63])
t["10"] = "s10"
print(t[10], t["10"])
