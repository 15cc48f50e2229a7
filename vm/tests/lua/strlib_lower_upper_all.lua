local u, l = {}, {}
for i = 0, 127 do
  local c = string.char(i)
  if c:upper() ~= c then u[#u + 1] = c end
  if c:lower() ~= c then l[#l + 1] = c end
end
print(#u, table.concat(u))
print(#l, table.concat(l))
local hi = 0
for i = 128, 255 do
  local c = string.char(i)
  if c:upper() ~= c or c:lower() ~= c then hi = hi + 1 end
end
print(hi)
