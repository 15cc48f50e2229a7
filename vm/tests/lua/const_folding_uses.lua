local K <const> = 10
local S <const> = "str"
local F <const> = 2.5
local B <const> = true
local N <const> = nil
print(K * 2, S .. "!", F + K, not B, N == nil)
local function inner() return K + 1, S, F end
print(inner())
local t = {[K] = "ten", [S] = "s"}
print(t[10], t.str)
for i = 1, K, K // 2 do print(i) end
local M <const> = math.maxinteger
print(M + 1 == math.mininteger)
local T <const> = {1, 2}
T[3] = 3
print(#T)
local C <const> = K << 2 | 1
print(C)
local D <const> = -K
print(D, -D)
