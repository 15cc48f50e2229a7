local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
for v in gen(4) do print("gen", v) end
local function perm(a, n, out)
  n = n or #a
  if n <= 1 then coroutine.yield(table.concat(a)) return end
  for i = 1, n do
    a[n], a[i] = a[i], a[n]
    perm(a, n - 1)
    a[n], a[i] = a[i], a[n]
  end
end
local res = {}
for p in coroutine.wrap(function() perm({"a", "b", "c"}) end) do res[#res + 1] = p end
table.sort(res)
print(table.concat(res, " "))
local w = coroutine.wrap(function() return 1 end)
w()
print(pcall(w))
