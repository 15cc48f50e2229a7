for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto next_i end
    if i == 3 then goto out end
    print(i, j)
  end
  ::next_i::
end
::out::
print("out")
local function find(m, x)
  for r = 1, #m do
    for c = 1, #m[r] do
      if m[r][c] == x then
        goto found
      end
    end
  end
  do return nil end
  ::found::
  return "found"
end
print(find({{1, 2}, {3, 4}}, 3), find({{1, 2}, {3, 4}}, 5))
