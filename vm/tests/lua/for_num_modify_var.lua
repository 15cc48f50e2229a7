for i = 1, 3 do
  local j = i
  i = i * 10
  print(j, i)
end
local t = {}
local lim = 3
for i = 1, lim do
  lim = 10
  t[#t + 1] = i
end
print(table.concat(t, ","), lim)
local step = 1
for i = 1, 5, step do step = 2; io = io; print(i) end
