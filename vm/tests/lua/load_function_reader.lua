local pieces = {"return ", "1 ", "+ ", "41"}
local i = 0
local f = load(function() i = i + 1; return pieces[i] end)
print(f())
local parts = {"local x = 10\n", "local y = ", "x * 2\n", "return x, y"}
local j = 0
print(load(function() j = j + 1; return parts[j] end)())
local once = false
print(load(function() if once then return nil end once = true; return "return 'single'" end)())
print(type(load(function() return nil end)))
print(type(load(function() return "" end)))
local k = 0
print(load(function() k = k + 1; if k == 1 then return "return 'stop at empty'" end return "" end)())
local numpieces, np = {"return ", 12}, 0
print(load(function() np = np + 1 return numpieces[np] end)())
print(pcall(load, function() return {} end))
print(pcall(load, function() error("reader failed") end))
local chars = {}
for c in ("return 'char by char'"):gmatch(".") do chars[#chars + 1] = c end
local n = 0
print(load(function() n = n + 1; return chars[n] end)())
print(type(load(function() return nil end, "=reader")))
