local i = 0
while i < 5 do i = i + 1 end
print(i)
while false do print("never") end
local n = 0
while true do
  n = n + 1
  if n == 7 then break end
end
print(n)
local a, b = 0, 1
while b < 1000 do a, b = b, a + b end
print(a, b)
local x = 10
while x > 0 do
  local y = x
  x = y - 3
end
print(x)
while nil do end
while 0 do print("0 is true") break end
