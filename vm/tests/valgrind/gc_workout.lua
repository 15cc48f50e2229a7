-- Exercises the collector for the valgrind run: incremental cycles, weak tables,
-- ephemerons, finalizers with resurrection, coroutines, closures and strings.
local keep = {}
local weak = setmetatable({}, {__mode = "v"})
local eph = setmetatable({}, {__mode = "k"})
local finalized = 0
for round = 1, 30 do
  for i = 1, 200 do
    local t = {round, i, tostring(i) .. "-" .. round}
    weak[#weak + 1] = t
    eph[t] = {t}
    if i % 50 == 0 then keep[#keep + 1] = t end
    if i % 20 == 0 then
      setmetatable({}, {__gc = function(o) finalized = finalized + 1; keep.last = o end})
    end
  end
  local co = coroutine.wrap(function(a)
    local s = a
    for j = 1, 20 do s = s .. j; coroutine.yield(#s) end
    return s
  end)
  for _ = 1, 10 do co("x") end
  local fns = {}
  for j = 1, 50 do local up = {j}; fns[j] = function() return up[1] end end
  keep.f = fns[round % 50 + 1]
  collectgarbage("step", 0)
end
collectgarbage()
collectgarbage()
local n = 0
for _ in pairs(weak) do n = n + 1 end
print(#keep, n <= 6000, finalized > 0, keep.f() > 0)
