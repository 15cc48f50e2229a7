for i = 1, 10 do
  if i % 2 == 0 then goto continue end
  if i == 9 then goto continue end
  print(i)
  ::continue::
end
local i = 0
while i < 6 do
  i = i + 1
  if i == 3 then goto cont end
  print("w", i)
  ::cont::
end
local k = 0
repeat
  k = k + 1
  if k == 2 then goto next end
  print("r", k)
  ::next::
until k >= 4
