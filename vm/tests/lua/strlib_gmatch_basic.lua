for w in string.gmatch("one two  three", "%a+") do print(w) end
local n = 0
for c in ("abc"):gmatch(".") do n = n + 1; print(n, c) end
for x in ("abc"):gmatch("") do print("empty", #x) end
local t = {}
for num in ("1, 22, 333, -4"):gmatch("-?%d+") do t[#t + 1] = tonumber(num) end
print(table.concat(t, "|"))
for k in ("x"):gmatch("y") do print("never") end
local it = ("a1b2"):gmatch("%d")
print(it(), it(), it(), it())
print(type(string.gmatch("", "")))
for a in ("aaa"):gmatch("a*") do print("[" .. a .. "]") end
for a in ("abc"):gmatch("x*") do print("<" .. a .. ">") end
