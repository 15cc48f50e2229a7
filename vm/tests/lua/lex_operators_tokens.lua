local a, b = 7, 2
print(a//b, a>>b, a<<b, a~=b, a==b, a<=b, a>=b, a~b, a&b, a|b, ~a)
print(a..b, a .. b, #"xy", -a, a^b, a%b)
local t = {x = {y = 1}}
print(t.x.y, t["x"]["y"], t . x . y)
local s = "x"..
  "y"
print(s)
print(1<2, 1>2, 2<=2, 2>=3)
print(3-2, 3- -2, 3 - - - 2)
print(a--[[comment]]+b)
print(load("return 0xA..0xB"))
print(load("return 1 .. 2")(), load("return 1..2"))
