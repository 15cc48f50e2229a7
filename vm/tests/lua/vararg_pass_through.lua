local function inner(...) return select('#', ...), ... end
local function outer(...) return inner(...) end
print(outer())
print(outer(nil))
print(outer(1, nil, nil))
local function wrap(f, ...)
  local args = table.pack(...)
  return function(...)
    local more = table.pack(...)
    local all = {}
    for i = 1, args.n do all[i] = args[i] end
    for i = 1, more.n do all[args.n + i] = more[i] end
    return f(table.unpack(all, 1, args.n + more.n))
  end
end
local w = wrap(inner, "a", nil)
print(w("b", nil))
local function many(n, ...)
  if n == 0 then return ... end
  return many(n - 1, n, ...)
end
print(many(5))
print(select('#', many(200)))
local t = {many(50)}
print(#t, t[1], t[50])
