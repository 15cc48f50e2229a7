local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(10000))
local function sum(n, acc) if n == 0 then return acc end return sum(n - 1, acc + n) end
print(sum(100000, 0))
local function build(n) if n == 0 then return {} end return {next = build(n - 1)} end
local l = build(5000)
local c = 0
while l.next do c = c + 1; l = l.next end
print(c)
