local fns = {}
local i = 1
::loop::
do
  local captured = i
  fns[#fns + 1] = function() return captured end
end
i = i + 1
if i <= 3 then goto loop end
print(fns[1](), fns[2](), fns[3]())
local out = {}
for j = 1, 3 do
  local v = j * 2
  out[#out + 1] = function() return v end
  if j == 2 then goto skip end
  v = v + 1
  ::skip::
end
print(out[1](), out[2](), out[3]())
