local a = "hello"
local b = a
b = b .. " world"
print(a, b)
local s = "abc"
local u = s:upper()
print(s, u)
local t = {}
t["key"] = 1
local k = "ke" .. "y"
print(t[k], rawequal(k, "key"))
local long1 = string.rep("x", 100)
local long2 = string.rep("x", 50) .. string.rep("x", 50)
print(long1 == long2, #long1)
local tk = {}
tk[long1] = "long"
print(tk[long2])
