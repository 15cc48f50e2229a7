local vals = {-1, 0, 1, 1.5, -0.0}
for _, a in ipairs(vals) do
  local row = {}
  for _, b in ipairs(vals) do
    row[#row + 1] = (a < b and "<" or "") .. (a <= b and "=" or "") .. (a > b and ">" or "")
  end
  print(a, table.concat(row, " "))
end
print(math.mininteger < math.maxinteger, math.mininteger <= math.mininteger + 0.0)
print(1 < 2 and "yes", 2 >= 2, 3 ~= 3)
print(0/0 < 1, 0/0 > 1, 0/0 <= 0/0, 0/0 >= 1)
print(-math.huge < math.mininteger, math.huge > math.maxinteger)
