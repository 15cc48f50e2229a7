local log = {}
local function closer(name)
  return setmetatable({}, {__close = function() log[#log + 1] = name end})
end
for i = 1, 3 do
  local c <close> = closer("iter" .. i)
  if i == 2 then break end
end
print(table.concat(log, " "))
log = {}
for i = 1, 3 do
  local c <close> = closer("c" .. i)
  if i == 2 then goto continue end
  log[#log + 1] = "body" .. i
  ::continue::
end
print(table.concat(log, " "))
log = {}
local function find()
  for i = 1, 5 do
    local c <close> = closer("f" .. i)
    if i == 3 then return i end
  end
end
print(find(), table.concat(log, " "))
log = {}
local i = 0
while true do
  i = i + 1
  local w <close> = closer("w" .. i)
  if i >= 3 then break end
end
print(table.concat(log, " "))
log = {}
local k = 0
repeat
  k = k + 1
  local r <close> = closer("r" .. k)
until k >= 2
print(table.concat(log, " "))
log = {}
do
  local n = 0
  ::top::
  do
    local g <close> = closer("g" .. n)
    n = n + 1
    if n < 3 then goto top end
  end
end
print(table.concat(log, " "))
