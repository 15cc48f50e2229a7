-- Errors raised in hooks propagate from the hooked point; hooks do not nest.
local fired = false
local ok, err = pcall(function()
  debug.sethook(function(e, l)
    if not fired then fired = true; error("boom at " .. l) end
  end, "l")
  local x = 1
  return x
end)
debug.sethook()
print(ok, err)

local ok2, err2 = pcall(function()
  local once = false
  debug.sethook(function(e)
    if not once then once = true; error({code = 7}) end
  end, "c")
  print("unreached?")
end)
debug.sethook()
print(ok2, type(err2), type(err2) == "table" and err2.code)

local ok3, err3 = pcall(function()
  debug.sethook(function(e, l) debug.sethook(); error("in hook") end, "l")
  local zz = 1
end)
print(ok3, err3)

-- Return hooks that fail.
local ok4, err4 = pcall(function()
  local function r() return 1 end
  debug.sethook(function(e)
    if e == "return" and debug.getinfo(2, "n").name == "r" then
      debug.sethook()
      error("on return")
    end
  end, "r")
  r()
end)
print(ok4, err4)

-- No recursive hooks: calls made by a hook fire nothing.
local depth, maxd = 0, 0
local function inner() return 1 end
debug.sethook(function(e, l)
  depth = depth + 1
  if depth > maxd then maxd = depth end
  inner()
  depth = depth - 1
end, "lcr")
local q = inner()
debug.sethook()
print("maxdepth", maxd)

-- A hook replaced inside a hook.
local log = {}
local function h2(e, l) log[#log + 1] = "h2:" .. l end
local function h1(e, l) log[#log + 1] = "h1:" .. l; debug.sethook(h2, "l") end
debug.sethook(h1, "l")
local a = 1
local b = 2
debug.sethook()
print(table.concat(log, " "))

-- gethook inside a hook.
local seen
debug.sethook(function()
  if not seen then local f, m, c = debug.gethook(); seen = m .. c end
end, "l", 0)
local c = 3
debug.sethook()
print(seen)

-- After a pcall caught an error from a hook, tracing goes on in the pcall's caller.
local ev = {}
local raised = false
print(pcall(function()
  debug.sethook(function(e, l)
    ev[#ev + 1] = l
    if not raised then raised = true; error("x", 0) end
  end, "l")
  local a = 1
end))
local b = 2
debug.sethook()
print(table.concat(ev, " "))
