math.randomseed(2024)
local lo, hi = math.huge, -math.huge
for i = 1, 2000 do
  local x = math.random(-3, 3)
  if x < lo then lo = x end
  if x > hi then hi = x end
end
print(lo, hi)
local ok = true
for i = 1, 2000 do local x = math.random(); if x < 0 or x >= 1 then ok = false end end
print(ok)
print(math.random(5, 5), math.random(math.maxinteger, math.maxinteger), math.random(math.mininteger, math.mininteger))
print(math.type(math.random(1)), math.type(math.random()), math.type(math.random(0)))
local counts = {0, 0, 0}
for i = 1, 3000 do local k = math.random(3); counts[k] = counts[k] + 1 end
print(counts[1] > 800, counts[2] > 800, counts[3] > 800, counts[1] + counts[2] + counts[3])
