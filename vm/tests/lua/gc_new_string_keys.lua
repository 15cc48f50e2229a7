-- New string keys stored into a table the collector has already marked (black) must be
-- kept: the write barrier covers the key, not only the value.
local t, n = {}, 20000
for i = 1, n do t["k" .. i] = {} end
collectgarbage()
local count, ok = 0, true
for k, v in pairs(t) do
  count = count + 1
  if type(v) ~= "table" or k:sub(1, 1) ~= "k" then ok = false end
end
for i = 1, n do
  if type(t["k" .. i]) ~= "table" then ok = false end
end
print(count, ok)
