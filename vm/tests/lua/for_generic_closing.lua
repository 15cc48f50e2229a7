-- 4th value of generic for is a to-be-closed variable
local log = {}
local function iter_with_close(n)
  local closer = setmetatable({}, {__close = function() log[#log + 1] = "closed" end})
  local i = 0
  return function()
    i = i + 1
    if i <= n then return i end
  end, nil, nil, closer
end
for i in iter_with_close(3) do log[#log + 1] = tostring(i) end
print(table.concat(log, " "))
log = {}
for i in iter_with_close(10) do
  log[#log + 1] = tostring(i)
  if i == 2 then break end
end
print(table.concat(log, " "))
log = {}
local function f()
  for i in iter_with_close(10) do
    if i == 3 then return "ret" .. i end
  end
end
print(f(), table.concat(log, " "))
log = {}
print(pcall(function()
  for i in iter_with_close(10) do
    if i == 2 then error("boom", 0) end
  end
end), table.concat(log, " "))
print(pcall(function() for i in next, {}, nil, 42 do end end))
