local t = {1, 2, 3}
local k, v = next(t)
print(k, v)
print(next(t, 3))
print(next(t, #t))
local seen = 0
local key = nil
repeat
  key = next(t, key)
  if key then seen = seen + 1 end
until key == nil
print(seen)
local h = {x = 1}
print(next(h))
print(next(h, "x"))
local big = {}
for i = 1, 100 do big[i] = i end
for i = 1, 100 do big["k" .. i] = i end
local count = 0
for k in next, big do count = count + 1 end
print(count)
local clear = {}
for i = 1, 20 do clear["s" .. i] = i end
for k in pairs(clear) do clear[k] = nil end
print(next(clear))
