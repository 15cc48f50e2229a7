local function fact(n) return n <= 1 and 1 or n * fact(n - 1) end
print(fact(10))
local g = function(n) return n end
do
  local g = function(n) if n == 0 then return "base" end return g(n - 1) .. "+" end
  print(g(2))
end
local x = 1
do
  local x = x + 1
  do
    local x = x * 10
    print(x)
  end
  print(x)
end
print(x)
local y = "outer"
local function show() return y end
local y = "shadow"
print(show(), y)
for i = 1, 2 do
  local i = "str" .. i
  print(i)
end
local a = 1
local a = a + 1
print(a)
