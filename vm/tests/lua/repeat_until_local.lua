local i = 0
repeat
  local j = i * 2
  i = i + 1
until j >= 6
print(i)
local n = 0
repeat n = n + 1 until true
print(n)
local fns = {}
local k = 0
repeat
  local v = k
  fns[#fns + 1] = function() return v end
  k = k + 1
until v >= 2
for _, f in ipairs(fns) do print(f()) end
repeat
  local done = true
  if done then break end
  print("never")
until false
print("after break")
local count = 0
repeat
  local stop = count > 3
  count = count + 1
until stop
print(count)
