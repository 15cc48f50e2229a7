local x <const> = 10
local s <const> = "str"
print(x, s, x * 2)
local function f() return x + 1 end
print(f())
print(load("local x <const> = 1; x = 2"))
print(load("local y <close> = nil; y = 1"))
print(load("local x <const> = 1; local function g() x = 3 end"))
print(load("local a <foo> = 1"))
print(load("local a <const>, b <close> = 1, nil, nil") ~= nil)
print(load("local a <close>, b <close> = nil, nil"))
local t <const> = {}
t.field = "mutable contents"
print(t.field)
local a <const>, b = 1, 2
b = 3
print(a, b)
