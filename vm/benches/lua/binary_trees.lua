-- Binary trees: allocation-heavy, builds and walks many short-lived trees.
-- usage: binary_trees.lua [maxdepth]   (default 15)
local maxdepth = tonumber(arg and arg[1]) or 15
local mindepth = 4
if maxdepth < mindepth + 2 then maxdepth = mindepth + 2 end

local function make(d)
  if d == 0 then return { false, false } end
  d = d - 1
  return { make(d), make(d) }
end

local function check(t)
  local l = t[1]
  if l then return 1 + check(l) + check(t[2]) end
  return 1
end

local total = 0
local stretch = make(maxdepth + 1)
local c = check(stretch)
print("stretch tree of depth " .. (maxdepth + 1) .. " check: " .. c)
total = total + c
stretch = nil

local longlived = make(maxdepth)

for d = mindepth, maxdepth, 2 do
  local iters = 1 << (maxdepth - d + mindepth - 1)
  local sum = 0
  for _ = 1, iters do
    sum = sum + check(make(d))
  end
  print(iters .. " trees of depth " .. d .. " check: " .. sum)
  total = total + sum
end

c = check(longlived)
print("long lived tree of depth " .. maxdepth .. " check: " .. c)
total = total + c
print("checksum " .. total)
