local function mr() return 1, 2, 3 end
local function none() end
local a, b, c, d = mr()
print(a, b, c, d)
a, b, c, d = mr(), 10
print(a, b, c, d)
a, b, c, d = 10, mr()
print(a, b, c, d)
a, b = (mr())
print(a, b)
print(mr(), mr())
print((mr()))
print(mr(), "x")
print("x", mr())
print(none(), "x")
print("x", none())
print((none()))
print(select('#', none()), select('#', (none())))
local t = {none(), none()}
print(#t, select('#', table.unpack(t)))
local function pass(...) return ... end
print(pass(mr()))
print(pass(mr(), mr()))
local function tail() return mr() end
print(tail())
local function paren() return (mr()) end
print(paren())
print(string.rep("ab", mr()))
print(math.max(mr()), math.max(mr(), 0))
