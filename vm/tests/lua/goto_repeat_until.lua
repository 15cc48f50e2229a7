local i = 0
repeat
  i = i + 1
  if i % 2 == 1 then goto continue end
  print("even", i)
  ::continue::
until i >= 6
local n = 0
while true do
  n = n + 1
  if n > 3 then goto done end
end
::done::
print("n", n)
do
  local k = 0
  ::a:: k = k + 1
  if k < 5 then goto a end
  print("k", k)
end
