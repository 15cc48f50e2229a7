print(1 .. 2, 1 .. "", 1.5 .. "", 1.0 .. "|", -0.0 .. "", 2^63 .. "")
print("x" .. 10 .. "y", 10 .. 20 .. 30)
print(math.maxinteger .. "", math.mininteger .. "")
print(1e100 .. "", (1/0) .. "", 0.1 .. "")
local a, b = 3, 4.25
print(a .. b, b .. a)
print(pcall(function() return "a" .. nil end))
print(pcall(function() return "a" .. {} end))
print(pcall(function() return true .. "a" end))
local s = ""
for i = 1, 10 do s = s .. i end
print(s, #s)
print(("ab"):rep(3) .. 1)
