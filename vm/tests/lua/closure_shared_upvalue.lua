local function pair()
  local v = 0
  local function get() return v end
  local function set(x) v = x end
  local function inc() v = v + 1 end
  return get, set, inc
end
local get, set, inc = pair()
print(get()); set(5); print(get()); inc(); inc(); print(get())
local get2, set2 = pair()
set2(100)
print(get(), get2())
local x = 1
local function f() return x end
x = 2
print(f())
local function g() x = x * 10 end
g(); g()
print(x, f())
local function outer()
  local a = 1
  local function mid()
    local function inner() a = a + 1; return a end
    return inner
  end
  return mid(), function() return a end
end
local inner, reader = outer()
inner(); inner()
print(reader())
