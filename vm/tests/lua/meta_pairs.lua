local t = setmetatable({}, {__pairs = function(self)
  local i = 0
  return function(_, k)
    i = i + 1
    if i <= 3 then return i, i * 10 end
  end, self, nil
end})
for k, v in pairs(t) do print(k, v) end
local proxied = {a = 1, b = 2, c = 3}
local proxy = setmetatable({}, {__pairs = function() return next, proxied, nil end})
local keys = {}
for k, v in pairs(proxy) do keys[#keys + 1] = k .. "=" .. v end
table.sort(keys)
print(table.concat(keys, " "))
for k, v in next, proxy do print("never", k) end
local ip = setmetatable({}, {__index = function(_, i) if i <= 4 then return i * i end end})
for i, v in ipairs(ip) do print("ipairs", i, v) end
local three = setmetatable({}, {__pairs = function() return function() return nil end, 1, 2 end})
for k in pairs(three) do print("never") end
print(pcall(pairs))
print(pcall(ipairs))
print(pcall(function() local f, s, c = pairs(nil) return type(f), f == next, s, c end))
print(pcall(function() for k in pairs(nil) do end end))
print(pcall(function() for k in pairs(5) do end end))
