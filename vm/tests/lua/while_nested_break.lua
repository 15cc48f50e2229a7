local out = {}
local i = 0
while true do
  i = i + 1
  local j = 0
  while true do
    j = j + 1
    if j > i then break end
    out[#out + 1] = i .. ":" .. j
  end
  if i >= 3 then break end
end
print(table.concat(out, " "))
local found
for a = 1, 10 do
  for b = a, 10 do
    if a * b == 42 then found = a .. "x" .. b break end
  end
  if found then break end
end
print(found)
local n = 0
repeat
  n = n + 1
  while n % 3 ~= 0 do n = n + 1 end
until n > 10
print(n)
