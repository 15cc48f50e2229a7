local calls = 0
local t = setmetatable({real = 1}, {__index = function(tbl, k)
  calls = calls + 1
  return "computed_" .. tostring(k)
end})
print(t.real, t.foo, t[1], t[true], calls)
local fib = setmetatable({[0] = 0, [1] = 1}, {__index = function(self, n)
  local v = self[n - 1] + self[n - 2]
  rawset(self, n, v)
  return v
end})
print(fib[80])
local proxy = setmetatable({}, {__index = function(_, k) return nil end})
print(proxy.x)
local multi = setmetatable({}, {__index = function() return 1, 2, 3 end})
print(multi.x)
local mix = setmetatable({}, {__index = setmetatable({}, {__index = function(t, k) return k .. "!" end})})
print(mix.hey)
