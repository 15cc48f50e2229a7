-- debug.getinfo on functions and stack levels: nested, tail-called, vararg, C.
local function show(t)
  if t == nil then print("nil") return end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    if type(v) == "table" then
      local ls = {}
      for l in pairs(v) do ls[#ls + 1] = l end
      table.sort(ls)
      v = "{" .. table.concat(ls, ",") .. "}"
    elseif type(v) == "function" then
      v = "fn"
    end
    parts[#parts + 1] = k .. "=" .. tostring(v)
  end
  print(table.concat(parts, " "))
end

local function inner(a, b, ...)
  show(debug.getinfo(1))
  show(debug.getinfo(1, "nSltu"))
  show(debug.getinfo(2, "nSl"))
  show(debug.getinfo(3, "nSl"))
  return a
end

local function outer(x)
  inner(x, 2, 3, 4)
  return 1
end
outer(1)

-- Called as a field, a method, a global, an upvalue.
local obj = {}
function obj.f() show(debug.getinfo(1, "n")) end
function obj:m() show(debug.getinfo(1, "n")) end
obj.f()
obj:m()
function global_fn() show(debug.getinfo(1, "n")) end
global_fn()
local up = function() show(debug.getinfo(1, "n")) end
local function call_up() up() end
call_up()

-- Tail calls: no name, istailcall set.
local function tailee() show(debug.getinfo(1, "nt")) show(debug.getinfo(2, "nSl")) end
local function tailer() return tailee() end
tailer()

-- Functions (not levels).
show(debug.getinfo(inner))
show(debug.getinfo(inner, "L"))
show(debug.getinfo(outer, "SuL"))
show(debug.getinfo(print))
show(debug.getinfo(print, "SlnutL"))
show(debug.getinfo(string.format, "S"))
show(debug.getinfo(function(...) return ... end, "Su"))
show(debug.getinfo(1, "S"))
show(debug.getinfo(1, "f").func ~= nil and {same = debug.getinfo(1, "f").func == debug.getinfo(1, "f").func} or nil)

-- Levels past the end, the C level below the main chunk.
local n = 1
while debug.getinfo(n) do n = n + 1 end
print("levels", n - 1)
show(debug.getinfo(n - 1, "Sln"))
print(debug.getinfo(n), debug.getinfo(100), debug.getinfo(-1))

-- Metamethods and iterators.
local mt = {__index = function(t, k) show(debug.getinfo(1, "n")) return k end,
            __add = function(a, b) show(debug.getinfo(1, "n")) return 0 end}
local t = setmetatable({}, mt)
local _ = t.missing
_ = t + 1
for k in function(s, c) show(debug.getinfo(1, "n")) return nil end do end

-- Inside pcall: the pcall is a C level.
pcall(function()
  show(debug.getinfo(1, "nS"))
  show(debug.getinfo(2, "nS"))
  show(debug.getinfo(3, "nS"))
end)

-- Errors.
print(pcall(debug.getinfo))
print(pcall(debug.getinfo, "x"))
print(pcall(debug.getinfo, 1, "q"))
print(pcall(debug.getinfo, 1, ">S"))
print(pcall(debug.getinfo, print, ">S"))
print(pcall(debug.getinfo, {}, "S"))
print(pcall(debug.getinfo, 1, 2))
