local log = {}
local function proxy(store)
  return setmetatable({}, {
    __len = function() return #store end,
    __index = function(_, k) log[#log + 1] = "get" .. k; return store[k] end,
    __newindex = function(_, k, v) log[#log + 1] = "set" .. k; store[k] = v end,
  })
end
local store = {"a", "b", "c"}
local p = proxy(store)
print(table.concat(p, ","))
print(table.concat(log, " ")); log = {}
table.insert(p, "d")
print(table.concat(store, ","), table.concat(log, " ")); log = {}
table.insert(p, 1, "z")
print(table.concat(store, ","), table.concat(log, " ")); log = {}
print(table.remove(p), table.concat(store, ","), table.concat(log, " ")); log = {}
print(table.remove(p, 1), table.concat(store, ","), table.concat(log, " ")); log = {}
print(table.unpack(p))
print(table.concat(log, " ")); log = {}
local dst = proxy({})
table.move(p, 1, 3, 1, dst)
print(table.concat(log, " ")); log = {}
print(#p, #dst)
