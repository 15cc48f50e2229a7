local reads, writes = 0, 0
local store = {}
local proxy = setmetatable({}, {
  __index = function(_, k) reads = reads + 1; return store[k] end,
  __newindex = function(_, k, v) writes = writes + 1; store[k] = v end,
})
proxy.a = 1
proxy.b = 2
proxy.a = proxy.a + proxy.b
print(proxy.a, reads, writes)
local x = proxy.missing
print(x, reads)
proxy[1], proxy[2] = "one", "two"
print(store[1], store[2], writes)
print(rawget(proxy, "a"), rawget(proxy, 1))
for i = 1, 3 do proxy.counter = (proxy.counter or 0) + i end
print(proxy.counter, reads, writes)
