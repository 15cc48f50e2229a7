local i = 1
::top::
if i <= 3 then
  print("iter", i)
  i = i + 1
  goto top
end
local fns = {}
local n = 0
::again::
do
  local v = n
  fns[#fns + 1] = function() return v end
end
n = n + 1
if n < 3 then goto again end
for _, f in ipairs(fns) do print(f()) end
do
  goto skip
  print("skipped")
  ::skip::
end
print("done")
