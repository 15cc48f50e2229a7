local function lvl1() error("level one") end
local function lvl2() error("level two", 2) end
local function lvl0() error("level zero", 0) end
local function caller() lvl2() end
print(pcall(lvl1))
print(pcall(caller))
print(pcall(lvl0))
local function deep3() error("three", 3) end
local function d2() deep3() end
local function d1() d2() end
print(pcall(d1))
print(pcall(error))
print(pcall(error, nil))
print(pcall(error, "plain"))
print(pcall(error, "with level 1", 1))
print(pcall(error, "with level 2", 2))
print(pcall(error, 42))
print(pcall(error, 42, 1))
print(pcall(error, true))
