print(5.5 % 2, -5.5 % 2, 5.5 % -2, -5.5 % -2)
print(5 % 2.5, 5.0 % 3, -5.0 % 3, 5.0 % -3)
print(1 % math.huge, -1 % math.huge, 1 % -math.huge, -1 % -math.huge)
print(math.huge % 1 ~= math.huge % 1)
local r = 1.0 % 0
print(r ~= r)
print(0.0 % 1, -0.0 % 1)
print(3 % -0.5, 3.25 % 0.5)
print(math.type(5 % 2.0), math.type(5 % 2))
