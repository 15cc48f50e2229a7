local fns = {}
for i = 1, 3 do
  for j = 1, 2 do
    fns[#fns + 1] = function() return i * 10 + j end
  end
end
local out = {}
for _, f in ipairs(fns) do out[#out + 1] = f() end
print(table.concat(out, " "))
local grid = {}
for r = 1, 2 do
  grid[r] = {}
  local rowlabel = "r" .. r
  for c = 1, 2 do
    local cell = 0
    grid[r][c] = {
      inc = function() cell = cell + 1; return rowlabel .. "c" .. c .. "=" .. cell end,
    }
  end
end
print(grid[1][1].inc(), grid[1][1].inc(), grid[2][2].inc(), grid[1][2].inc())
local acc = {}
local k = 0
while k < 3 do
  k = k + 1
  local captured = k
  repeat
    local inner = captured * 2
    acc[#acc + 1] = function() return captured, inner end
  until true
end
for _, f in ipairs(acc) do print(f()) end
