-- Line hooks: new lines, backward jumps to the same line, currentline, vararg functions.
local lines = {}
local function hook(ev, line)
  lines[#lines + 1] = ev .. ":" .. tostring(line)
end
local function f(n)
  local s = 0
  for i = 1, n do
    s = s + i
  end
  return s
end
debug.sethook(hook, "l")
local r = f(3)
debug.sethook()
print(r)
print(table.concat(lines, " "))

-- A loop on one line fires once per backward jump.
local cnt = 0
debug.sethook(function(e, l) cnt = cnt + 1 end, "l")
for i = 1, 5 do end
debug.sethook()
print("sameline", cnt)
local c3 = 0
debug.sethook(function(e, l) c3 = c3 + 1 end, "l"); local z = 0; while z < 4 do z = z + 1 end; debug.sethook()
print("oneline", c3)

-- getinfo(2, "l").currentline inside a line hook is the line being entered.
local cur = {}
debug.sethook(function(e, l)
  local info = debug.getinfo(2, "l")
  cur[#cur + 1] = (info.currentline == l) and "ok" or ("bad" .. info.currentline .. "/" .. l)
end, "l")
local a = 1
local b = 2
if a < b then
  a = b
end
debug.sethook()
print(table.concat(cur, " "))

-- Vararg functions: the hook starts after VARARGPREP.
local vev = {}
local function va(...)
  local n = select('#', ...)
  return n
end
debug.sethook(function(e, l) vev[#vev + 1] = e .. ":" .. tostring(l) end, "crl")
va(1, 2, 3)
debug.sethook()
print(table.concat(vev, " "))

-- A hook reading the hooked function's locals.
local vals = {}
local function lf()
  local alpha = 10
  local beta = 20
  alpha = alpha + beta
  return alpha
end
debug.sethook(function(e, l)
  local info = debug.getinfo(2, "S")
  if info.what == "Lua" then
    local name, v = debug.getlocal(2, 1)
    if name == "alpha" then vals[#vals + 1] = l .. "=" .. tostring(v) end
  end
end, "l")
lf()
debug.sethook()
print(table.concat(vals, " "))

-- Lines of a repeat loop and of a table.sort comparator.
local n = 0
debug.sethook(function() n = n + 1 end, "l")
local t = {5, 3, 1, 4, 2}
table.sort(t, function(x, y)
  return x < y
end)
local k = 0
repeat
  k = k + 1
until k == 3
debug.sethook()
print(n, table.concat(t, ","))
