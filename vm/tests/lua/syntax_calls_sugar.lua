local function f(x) return type(x), x end
print(f"string literal")
print(f[[long string]])
print(f{1, 2, 3} == "table")
local s = ("abc"):upper()
print(s)
local t = {f = f}
print(t.f"x", (t.f{}))
local obj = {name = "o"}
function obj:say(x) return self.name .. (type(x) == "table" and #x or x) end
print(obj:say"!", obj:say{1, 2})
print(#tostring(12):rep(3))
local chain = {a = {b = {c = function() return "chained" end}}}
print(chain.a.b.c())
print(("%d items"):format(3))
local function ret_fn() return f end
print(ret_fn()"call result")
