-- debug.getlocal / setlocal on active frames at several levels, varargs, parameters.
local function level3(p)
  local inner = "in3"
  for lvl = 1, 4 do
    local i = 1
    local parts = {}
    while true do
      local name, value = debug.getlocal(lvl, i)
      if not name then break end
      if type(value) == "table" or type(value) == "function" then value = type(value) end
      if name:sub(1, 1) ~= "(" then parts[#parts + 1] = name .. "=" .. tostring(value) end
      i = i + 1
    end
    print(lvl, table.concat(parts, " "))
  end
  return p
end
local function level2(a, b)
  local c = a + b
  level3(c)
end
local function level1(x)
  local y = x * 2
  level2(x, y)
end
level1(5)

-- Varargs: negative indices.
local function va(a, ...)
  print(debug.getlocal(1, -1))
  print(debug.getlocal(1, -2))
  print(debug.getlocal(1, -3))
  print(debug.getlocal(1, -4))
  print(debug.setlocal(1, -2, "changed"))
  print(...)
end
va(1, "x", "y", nil)
va(1)

-- setlocal changes a caller's variable.
local function setter()
  local i = 1
  while debug.getlocal(2, i) ~= "target" do i = i + 1 end
  print(debug.setlocal(2, i, "new value"))
  print(debug.setlocal(2, 100, 1))
end
do
  local target = "old"
  setter()
  print(target)
end

-- Temporaries beyond the named locals.
local function temps()
  local a = 1
  print(debug.getlocal(1, 1))
  local name, value = debug.getlocal(1, 2)
  print(name, type(value))
end
temps()

-- Parameters of functions that are not running.
local function params(first, second, ...) local notparam end
print(debug.getlocal(params, 1), debug.getlocal(params, 2), debug.getlocal(params, 3),
      debug.getlocal(params, 0), debug.getlocal(params, -1))
print(debug.getlocal(print, 1))
print(debug.getlocal(function() end, 1))

-- Locals of a suspended coroutine.
local co = coroutine.create(function(a, b)
  local sum = a + b
  coroutine.yield(sum)
end)
coroutine.resume(co, 3, 4)
print(debug.getlocal(co, 1, 1), debug.getlocal(co, 1, 2), debug.getlocal(co, 1, 3))
print(debug.setlocal(co, 1, 3, 100), debug.getlocal(co, 1, 3))

-- Errors.
print(pcall(debug.getlocal, 50, 1))
print(pcall(debug.getlocal, 1))
print(pcall(debug.getlocal, "x", 1))
print(pcall(debug.setlocal, 50, 1, 1))
print(pcall(debug.setlocal, 1, 1))
print(pcall(debug.getlocal, co, 5, 1))
