-- Dead small tables are reused for new ones: a new table must never show what the dead
-- one held (entries, metatable, length).
local mt = { __index = function() return "meta" end, __len = function() return 99 end }
local function f() end
for round = 1, 5 do
  for i = 1, 20000 do
    local t = setmetatable({ i, i + 1, i + 2 }, mt)
    t[4] = "x"
  end
  collectgarbage()
  local bad = 0
  for i = 1, 20000 do
    local a, b, c, d = {}, { 1 }, { 1, 2 }, { f() }
    if getmetatable(a) or next(a) ~= nil or #a ~= 0 or a[1] ~= nil or a.k ~= nil then bad = bad + 1 end
    if getmetatable(b) or #b ~= 1 or b[2] ~= nil then bad = bad + 1 end
    if #c ~= 2 or c[3] ~= nil or c[4] ~= nil then bad = bad + 1 end
    if #d ~= 0 then bad = bad + 1 end
  end
  print(round, bad)
end
