local log = {}
local t = setmetatable({existing = 1}, {__newindex = function(tbl, k, v)
  log[#log + 1] = tostring(k) .. "=" .. tostring(v)
  rawset(tbl, k, v and v * 2)
end})
t.existing = 5
t.new = 10
t.new = 20
print(t.existing, t.new, table.concat(log, " "))
local store = {}
local p = setmetatable({}, {__newindex = store})
p.x = 1
print(rawget(p, "x"), store.x)
local inner = {}
local mid = setmetatable({}, {__newindex = inner})
local outer = setmetatable({}, {__newindex = mid})
outer.k = "v"
print(rawget(outer, "k"), rawget(mid, "k"), inner.k)
local ro = setmetatable({}, {__newindex = function(t, k) error("readonly " .. k, 2) end})
print(pcall(function() ro.field = 1 end))
local t2 = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v) end})
t2[1] = "a"; t2[2] = "b"
print(#t2, t2[1], t2[2])
local counted = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v) end})
counted.a = nil
print(next(counted))
