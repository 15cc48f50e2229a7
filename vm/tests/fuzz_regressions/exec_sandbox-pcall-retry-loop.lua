local results = {}
local x = 0
repeat
  local y = x
  repeat
    local z = y * 2
    results[#results + 1] = z
    y = y + 2
  until z >= 4
  x = x + 1
until x >= 2
print(table.concat(results, ","))
local fns = {}
local i = 0
repeat
  local captured = i
  fns[#fns + 1] = function() return captured end
  i = i + 1
until captured >= 2
print(fns[1](), fns[2](), fns[3]())
local counyday0
repeat
  local ok = pcall(function() count = count + 1 if count < 3 then error("retry") end end)
until ok
print(count)
