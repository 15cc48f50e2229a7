print(_VERSION, type(_VERSION))
print(_G == _ENV)
local count = 0
for _, name in ipairs({"string", "table", "math", "coroutine"}) do
  if type(_G[name]) == "table" then count = count + 1 end
end
print(count)
_G.newvar = "via _G"
print(newvar)
rawset(_G, "rawvar", 7)
print(rawvar)
local g = _G
g.print("printing through alias")
print(type(_G.string.format), _G.math.pi == math.pi)
