-- weak keys (ephemerons): a value that refers back to its own key does not keep it alive
local props = setmetatable({}, {__mode = "k"})
local live = {}
for i = 1, 6 do
  local key = {i = i}
  props[key] = {owner = key, n = i}
  if i <= 2 then live[i] = key end
end
props["str"] = "kept"
collectgarbage()
local n, sum = 0, 0
for k, v in pairs(props) do
  if type(k) == "table" then n = n + 1; sum = sum + v.n end
end
print(n, sum, props.str)
-- a chain: value of one entry is the key of the next
local chain = setmetatable({}, {__mode = "k"})
local a, b, c = {}, {}, {}
chain[a] = b; chain[b] = c; chain[c] = "end"
b, c = nil, nil
collectgarbage()
local count = 0
for _ in pairs(chain) do count = count + 1 end
print(count)
a = nil
collectgarbage()
count = 0
for _ in pairs(chain) do count = count + 1 end
print(count)
