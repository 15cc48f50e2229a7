local t = {10, 20, 30, a = "x", b = "y", [1.5] = "f"}
local keys = {}
for k, v in pairs(t) do keys[#keys + 1] = tostring(k) .. "=" .. tostring(v) end
table.sort(keys)
print(table.concat(keys, " "))
print(next({}), next({}, nil))
local k, v = next({"only"})
print(k, v, next({"only"}, 1))
print(pcall(next, {}, "nokey"))
print(pcall(next, 1))
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n)
local del = {a = 1, b = 2, c = 3, d = 4}
for k in pairs(del) do del[k] = nil end
print(next(del))
local upd = {a = 1, b = 2, c = 3}
for k, v in pairs(upd) do upd[k] = v * 10 end
print(upd.a, upd.b, upd.c)
local arr = {"a", "b", "c"}
local order = {}
for i, v in pairs(arr) do order[#order + 1] = i .. v end
table.sort(order)
print(table.concat(order, " "))
