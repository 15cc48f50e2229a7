local w
local tbl = {}
local function f1() return w + 1 end
local function f2() return w.x end
local function f3() w() end
local function f4() return w .. "" end
local function f5() return #w end
local function f6() return tbl.missing.x end
local function f7() return w < 1 end
print(pcall(f1))
print(pcall(f2))
print(pcall(f3))
print(pcall(f4))
print(pcall(f5))
print(pcall(f6))
print(pcall(f7))
