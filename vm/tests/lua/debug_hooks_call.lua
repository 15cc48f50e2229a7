-- Call, tail call and return events, with names from getinfo(2, "nS").
local function f(n)
  local s = 0
  for i = 1, n do s = s + i end
  return s
end
local ev = {}
debug.sethook(function(e)
  local info = debug.getinfo(2, "nS")
  ev[#ev + 1] = e .. ":" .. tostring(info.name) .. ":" .. info.what
end, "cr")
local x = f(2)
local function g(n) return f(n) end
g(1)
local s = string.rep("a", 2)
debug.sethook()
print(table.concat(ev, "\n"))

-- istailcall, and the events of a chain of tail calls.
local tev = {}
local function t3() return 3 end
local function t2() return t3() end
local function t1() return t2() end
debug.sethook(function(e)
  local info = debug.getinfo(2, "t")
  tev[#tev + 1] = e .. "/" .. tostring(info.istailcall)
end, "cr")
t1()
debug.sethook()
print(table.concat(tev, " "))

-- ftransfer/ntransfer: the arguments at a call, the results at a return.
local tr = {}
local function add(x, y) return x + y, x - y end
debug.sethook(function(e)
  local info = debug.getinfo(2, "nr")
  if info.name == "add" then
    local vals = {}
    for i = info.ftransfer, info.ftransfer + info.ntransfer - 1 do
      local _, v = debug.getlocal(2, i)
      vals[#vals + 1] = tostring(v)
    end
    tr[#tr + 1] = e .. " " .. info.ftransfer .. " " .. info.ntransfer .. " [" .. table.concat(vals, ",") .. "]"
  end
end, "cr")
local s1, d1 = add(10, 3)
debug.sethook()
print(table.concat(tr, "\n"))
print(debug.getinfo(1, "r").ftransfer, debug.getinfo(1, "r").ntransfer)

-- Metamethods and callbacks from natives.
local mev = {}
local mt = {__index = function(t, k) return k .. "!" end, __add = function(a, b) return 42 end}
local obj = setmetatable({}, mt)
debug.sethook(function(e)
  local info = debug.getinfo(2, "nS")
  mev[#mev + 1] = e .. ":" .. tostring(info.name) .. ":" .. tostring(info.namewhat)
end, "cr")
local v1 = obj.foo
local v2 = obj + 1
local up = string.gsub("ab", "%w", function(ch) return ch:upper() end)
debug.sethook()
print(v1, v2, up)
print(table.concat(mev, "\n"))

-- The hook function itself is called by "hook".
local hn
debug.sethook(function()
  if not hn then
    local i = debug.getinfo(1, "n")
    hn = tostring(i.name) .. "/" .. tostring(i.namewhat)
  end
end, "l")
local xx = 1
debug.sethook()
print(hn)
