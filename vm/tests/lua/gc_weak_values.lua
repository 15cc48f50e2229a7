-- weak values: entries whose values are only weakly reachable disappear after a collection
local cache = setmetatable({}, {__mode = "v"})
local keep = {}
for i = 1, 10 do
  local obj = {id = i}
  cache[i] = obj
  if i % 2 == 0 then keep[#keep + 1] = obj end
end
cache.s = "strings are values and stay"
cache.n = 42
collectgarbage()
local ids = {}
for k, v in pairs(cache) do
  if type(k) == "number" then ids[#ids + 1] = k end
end
table.sort(ids)
print(table.concat(ids, " "))
print(cache.s, cache.n)
