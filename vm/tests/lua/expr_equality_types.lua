print(1 == 1.0, "1" == 1, nil == false, 0 == false, "" == false)
local t1, t2 = {}, {}
print(t1 == t1, t1 == t2, t1 ~= t2)
local f1 = function() end
print(f1 == f1, print == print, f1 == function() end)
print("abc" == "a" .. "bc", 2^53 == 2^53 + 1.0, math.huge == math.huge)
print(0.0 == -0.0, 1/0 == 2/0, 0/0 == 0/0)
print(math.maxinteger == math.maxinteger + 0.0, math.mininteger == -2^63)
print(3 ~= 3.0, "3" ~= 3, true ~= 1)
local a = "x"
local b = "x"
print(a == b, rawequal(a, b))
