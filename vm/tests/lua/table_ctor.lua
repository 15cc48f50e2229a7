local t = {1, 2, 3; 4, x = "x", ["y z"] = "yz", [10] = 10}
print(t[1], t[2], t[3], t[4], t.x, t["y z"], t[10])
local e = {}
print(#e, next(e))
local nested = {{1, 2}, {3, {4, 5}}}
print(nested[2][2][2], #nested)
local trailing = {1, 2, 3,}
print(#trailing)
local semi = {1; 2; 3;}
print(#semi)
local fnkey = {[print] = "print fn"}
print(fnkey[print])
local b = {[true] = "yes", [false] = "no"}
print(b[true], b[false])
local big = {}
for i = 1, 100 do big[i] = i end
print(#big, big[100])
local t2 = {f = function(self) return self.v end, v = 9}
print(t2:f())
