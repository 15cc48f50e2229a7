local function mr() return 1, 2, 3 end
print((mr()))
local t = {(mr())}
print(#t)
print(select('#', (mr())))
local a, b = (mr())
print(a, b)
print(((((mr())))))
local function ret() return (mr()) end
print(ret())
print((nil))
local s = ("x"):rep(2)
print(s)
print(("a" .. "b"):upper())
local n = (2 + 3) * 4
print(n)
print((1 < 2) == true)
