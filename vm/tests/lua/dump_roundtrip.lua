-- string.dump then load: behaviour of the loaded functions (never the bytes themselves).

-- Constants of every kind.
local function consts()
  return 1, -7, 2^53, 3.5, -0.0, 1e300, math.huge, -math.huge, "str", "", "a\0b",
    true, false, nil, math.mininteger, math.maxinteger, 0x7fffffff
end
local g = load(string.dump(consts))
print(g())
print(math.type(select(1, g())), math.type(select(4, g())), 1 / select(5, g()))
print(select('#', g()))

-- Parameters, varargs and nested functions.
local function va(a, b, ...)
  local n = select('#', ...)
  local t = {...}
  local function inner(x) return function(y) return x + y + n end end
  return a, b, n, #t, inner(10)(5), ...
end
local f = load(string.dump(va))
print(f(1, 2, 3, 4, 5))
print(f())
print(f(nil, nil, nil))

-- Loops, tables, closures inside the loaded chunk.
local function work(n)
  local acc = {}
  for i = 1, n do acc[#acc + 1] = i * i end
  local s = 0
  for _, v in ipairs(acc) do s = s + v end
  local fs = {}
  for i = 1, 3 do fs[i] = function() return i + s end end
  local str = ""
  for k, v in pairs({x = 1}) do str = str .. k .. v end
  return s, fs[1](), fs[3](), str, #acc, n // 3, n % 3, n / 2, -n, ~n, n << 2
end
print(load(string.dump(work))(10))
print(load(string.dump(work, true))(10))

-- Upvalues: the first becomes the load environment (as lua5.4), the others start nil.
local up1, up2 = 10, 20
local function useup() return up2, up1 end
local h = load(string.dump(useup))
local r1, r2 = h()
print(r1 == _G, r2)
local function useup2() return up1, up2 end
print(type((load(string.dump(useup2))())), select(2, load(string.dump(useup2))()))
local function env_only() return tostring ~= nil end
print(load(string.dump(env_only))())
local withenv = load(string.dump(function() return x, y end), "name", "b", { x = 1, y = 2 })
print(withenv())
print(debug.getupvalue(h, 1) ~= nil, (debug.getupvalue(h, 2)))
print(debug.getupvalue(load(string.dump(useup, true)), 2))

-- A whole chunk, with its main function's _ENV.
local chunk = load("local a = ... ; b_global = (a or 0) + 1; return b_global, select('#', ...)")
local loaded = load(string.dump(chunk))
print(loaded(41))
print(b_global)

-- A dump of a loaded dump is equal (the format is deterministic).
local d1 = string.dump(va)
print(string.dump(load(d1)) == d1, #string.dump(va, true) < #d1)
print(type(string.dump(function() end)))

-- Coroutines and errors in loaded code.
local co = coroutine.wrap(load(string.dump(function(a)
  local b = coroutine.yield(a + 1)
  return b * 2
end)))
print(co(1), co(21))
local okc, e = pcall(load(string.dump(function() error({code = 7}) end)))
print(okc, e.code)
print(select(2, pcall(load(string.dump(function() error("msg") end)))))
