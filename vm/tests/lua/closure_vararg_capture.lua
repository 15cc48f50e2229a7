local function capture(...)
  local args = table.pack(...)
  return function() return table.unpack(args, 1, args.n) end
end
local c = capture(1, nil, 3)
print(c())
print(select('#', c()))
local function bind(f, ...)
  local bound = {...}
  local nb = select('#', ...)
  return function(...)
    local all = {table.unpack(bound, 1, nb)}
    local extra = table.pack(...)
    for i = 1, extra.n do all[nb + i] = extra[i] end
    return f(table.unpack(all, 1, nb + extra.n))
  end
end
local add3 = function(a, b, c) return a + b + c end
print(bind(add3, 1)(2, 3), bind(add3, 1, 2)(3), bind(add3, 1, 2, 3)())
print(load("local function f(...) return function() return ... end end"))
