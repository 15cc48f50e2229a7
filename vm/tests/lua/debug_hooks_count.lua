-- Count hooks, alone and with line hooks; gethook results.
local cnt = 0
debug.sethook(function(e) cnt = cnt + 1 end, "", 10)
for i = 1, 100 do local y = i * 2 end
local h, m, c = debug.gethook()
debug.sethook()
print(cnt, m, c, type(h))

local ticks = 0
debug.sethook(function(e, l) ticks = ticks + 1; assert(e == "count" and l == nil) end, "", 1)
local sum = 0
for i = 1, 10 do sum = sum + i end
debug.sethook()
print("ticks", ticks)

-- Count and line together (a count event also counts as a new line afterwards).
local seq = {}
debug.sethook(function(e, l) seq[#seq + 1] = e:sub(1, 1) .. (l or "") end, "l", 3)
local t = 0
for i = 1, 3 do t = t + i end
debug.sethook()
print(table.concat(seq, " "))

-- gethook: masks, counts, removal.
print(debug.gethook())
debug.sethook(print, "rlc", 5)
debug.sethook()
print(debug.gethook())
debug.sethook(print, "")
print(debug.gethook())
debug.sethook(print, "xyz", 0)
print(debug.gethook())
local function nop() end
debug.sethook(nop, "lrc", 3)
local f1, m1, c1 = debug.gethook()
debug.sethook(nop, "l", -5)
local f2, m2, c2 = debug.gethook()
debug.sethook()
print(f1 == nop, m1, c1, f2 == nop, m2, c2)

-- A hook that is a native function.
debug.sethook(print, "l")
local p = 1
local q = 2
debug.sethook()
