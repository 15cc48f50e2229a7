local vals = {7, -7, 0, 1, -1, 3, -3}
local divs = {3, -3, 2, -2, 1, -1, 7}
for _, a in ipairs(vals) do
  local row = {}
  for _, b in ipairs(divs) do
    row[#row + 1] = tostring(a // b)
  end
  print(a, table.concat(row, " "))
end
print(math.mininteger // -1, math.mininteger // 1)
print(math.maxinteger // -1, math.maxinteger // math.maxinteger)
print(math.mininteger // math.maxinteger)
