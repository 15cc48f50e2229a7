-- Selenite goes beyond lua5.4 here: a table.sort comparator may yield (lua5.4 says
-- "attempt to yield across a C-call boundary").
local log = {}
local co = coroutine.wrap(function()
  local t = {5, 3, 8, 1, 9, 2}
  table.sort(t, function(a, b)
    coroutine.yield(a .. "?" .. b)
    return a < b
  end)
  return table.concat(t, ",")
end)
local steps = 0
local r = co()
while r:find("?", 1, true) do
  steps = steps + 1
  r = co()
end
print(r, steps > 0)
-- the comparator can also be suspended by an instruction budget (run with --budget 3 by
-- the test runner) and sort a larger array the same way
local t = {}
local seed = 42
for i = 1, 300 do seed = (seed * 16807) % 2147483647; t[i] = seed % 1000 end
table.sort(t, function(a, b) return a > b end)
local ok = true
for i = 2, #t do if t[i - 1] < t[i] then ok = false end end
print(ok, t[1], t[#t])
