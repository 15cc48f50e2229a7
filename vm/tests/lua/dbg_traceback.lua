-- debug.traceback formats: messages, levels, threads, long stacks, tail calls.
print(debug.traceback())
print(debug.traceback("message"))
print(debug.traceback("message", 2))
print(debug.traceback("level zero", 0))
print(debug.traceback(42))
print(debug.traceback(nil, 1))
local t = {}
print(debug.traceback(t) == t)
print(debug.traceback(print) == print)

local function f() return debug.traceback("in f") end
local function g() local s = f() return s end
print(g())
local obj = {}
function obj.field() return debug.traceback("field") end
function obj:method() return debug.traceback("method") end
print(obj.field())
print(obj:method())
function global_function() return debug.traceback("global") end
print(global_function())

local function tail(n) if n == 0 then return debug.traceback("tail") end return tail(n - 1) end
print(tail(3))

local function deep(n) if n == 0 then return debug.traceback("deep") end return (deep(n - 1)) end
print(deep(30))
print(deep(19))
print(deep(20))

print(select(2, xpcall(function() local x = nil; return x.y end, debug.traceback)))
print(select(2, pcall(function() return debug.traceback("in pcall") end)))
print(select(2, pcall(debug.traceback, "via pcall")))

-- Coroutines.
local co = coroutine.create(function(a)
  local function inside() coroutine.yield(a) end
  inside()
end)
coroutine.resume(co, 1)
print(debug.traceback(co))
print(debug.traceback(co, "co message"))
print(debug.traceback(co, "co level 1", 1))
print(debug.traceback(co, nil, 2))
coroutine.resume(co)
print(debug.traceback(co, "dead"))
print(debug.traceback(coroutine.create(print), "fresh"))
local co2 = coroutine.wrap(function() print(debug.traceback("running")) end)
co2()

-- Metamethods and C functions in the stack.
local mt = {__index = function() return debug.traceback("index") end}
print(setmetatable({}, mt).x)
print(table.concat({"a"}, debug.traceback("sep")))
table.sort({3, 2, 1}, function(a, b) if a == 3 then print(debug.traceback("sort")) end return a < b end)
print(pcall(debug.traceback, "m", "x"))
