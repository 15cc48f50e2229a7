local vals = {7, -7, 0, 1, -1, 3, -3, 10}
local divs = {3, -3, 2, -2, 1, -1, 7}
for _, a in ipairs(vals) do
  local row = {}
  for _, b in ipairs(divs) do
    row[#row + 1] = tostring(a % b)
  end
  print(a, table.concat(row, " "))
end
print(math.mininteger % -1, math.mininteger % 1, math.mininteger % 2)
print(math.maxinteger % -1, math.maxinteger % math.mininteger, math.mininteger % math.maxinteger)
print(5 % math.mininteger, -5 % math.mininteger, 5 % math.maxinteger)
