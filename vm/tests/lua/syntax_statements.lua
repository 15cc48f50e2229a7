;;; local a = 1; ; print(a);
local b, c = 2
print(b, c)
local d, e = 1, 2, 3
print(d, e)
x, y = 1
print(x, y)
do local x = "inner" print(x) end
print(x)
if false then print("no") elseif nil then print("no") elseif 0 then print("elseif zero") else print("no") end
if nil then else print("else branch") end
local t = {}
t.a, t.b = "A", "B"
print(t.a, t.b)
local i = 1
local arr = {}
i, arr[i] = i + 1, 20
print(i, arr[1], arr[2])
local p, q = 1, 2
p, q = q, p
print(p, q)
local function noret() end
print(noret())
local function early(n) if n > 0 then return "pos" end return "nonpos" end
print(early(1), early(-1))
do return print("return at chunk end") end
