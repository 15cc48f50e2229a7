local t = {10, 20, 30, nil, 50}
for i, v in ipairs(t) do print(i, v) end
for i, v in ipairs({}) do print("never") end
local function range(n)
  local i = 0
  return function()
    i = i + 1
    if i <= n then return i, i * i end
  end
end
for a, b in range(4) do print(a, b) end
local function iter(s, c)
  if c < s then return c + 1 end
end
for x in iter, 3, 0 do print("stateless", x) end
for k, v, extra in next, {5} do print(k, v, extra) end
local keys = {}
for k in pairs({a = 1, b = 2, c = 3}) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "))
