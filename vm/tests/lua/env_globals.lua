print(_VERSION)
print(_G._G == _G, _G.print == print, type(_G))
x = 1
print(_G.x, rawget(_G, "x"))
_G.y = 2
print(y)
_G["z w"] = 3
print(_G["z w"])
local names = {"print", "pairs", "ipairs", "next", "type", "tostring", "tonumber",
  "select", "pcall", "xpcall", "error", "assert", "load", "rawget", "rawset", "rawequal",
  "rawlen", "setmetatable", "getmetatable", "collectgarbage", "string", "table", "math", "coroutine"}
local missing = {}
for _, n in ipairs(names) do if _G[n] == nil then missing[#missing + 1] = n end end
print("missing:", #missing)
print(type(collectgarbage("count")), math.type(collectgarbage("count")))
print(collectgarbage(), collectgarbage("collect"))
print(undefined_global)
