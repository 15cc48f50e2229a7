local t = {}
for i = 1, 1000 do t[#t + 1] = i * 2 end
print(#t, t[1], t[500], t[1000])
local s = 0
for i = 1, #t do s = s + t[i] end
print(s)
local r = {}
for i = 100, 1, -1 do r[i] = i end
print(#r, r[1], r[100])
local h = {}
for i = 1, 50 do h["k" .. i] = i end
for i = 1, 50 do h[i] = -i end
local hs = 0
for i = 1, 50 do hs = hs + h["k" .. i] + h[i] end
print(hs, #h)
local shrink = {}
for i = 1, 64 do shrink[i] = i end
for i = 64, 33, -1 do shrink[i] = nil end
print(#shrink)
