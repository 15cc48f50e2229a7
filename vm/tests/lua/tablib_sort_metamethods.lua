local mt = {__lt = function(a, b) return a.v < b.v end}
local t = {}
local vals = {5, 3, 9, 1, 7, 2, 8}
for i, v in ipairs(vals) do t[i] = setmetatable({v = v}, mt) end
table.sort(t)
local r = {}
for i, o in ipairs(t) do r[i] = o.v end
print(table.concat(r, ","))
-- __len and __index/__newindex proxies are honoured by sort
local store = {4, 2, 3, 1}
local reads, writes = 0, 0
local proxy = setmetatable({}, {
  __len = function() return #store end,
  __index = function(_, k) reads = reads + 1; return store[k] end,
  __newindex = function(_, k, v) writes = writes + 1; store[k] = v end,
})
table.sort(proxy)
print(table.concat(store, ","), reads > 0, writes > 0)
