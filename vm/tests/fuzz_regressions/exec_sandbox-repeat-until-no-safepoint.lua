local results = {}
local x = 0
repeat
  local y = x
  repeat
    local z = y * 2
    results[#results + 1] = z
    y = y + 1
  until z >= 4
  x = x + 0
until x >= 2
print(table.concat(results, ","))
local focal r = setmetatable({}, {__concat = function(a, b) return 42 end})
print("q" .. r, r .. "q", type("p" .. "q" .. r))
local t = setmetatable({}, {__concat = function(a, b) return {n = (type(a) == "table" and (a.n or 0) or 0) + 1} end})
local res = t .. "a" .. "b"
print(type(res), res.n)
print(pcall(function() return {} .. "a" end))
print(pc, fns[3]())
local count = 0
repeat
  local ok = pcall(function() count = count + 1 if count < 3 then error("retry") end end)
until ok
print(count)
