-- Selenite goes beyond lua5.4: yields inside __index called by ipairs, __tostring called
-- by tostring and __pairs called by pairs (lua5.4: "attempt to yield across a C-call boundary").
local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return coroutine.yield(i) end end})
local co = coroutine.wrap(function()
  local out = {}
  for i, v in ipairs(proxy) do out[#out + 1] = v end
  local obj = setmetatable({}, {__tostring = function() return "obj:" .. coroutine.yield("ts") end})
  local s = tostring(obj)
  local p = setmetatable({}, {__pairs = function(t) coroutine.yield("pairs"); return next, {a = 1}, nil end})
  for k, v in pairs(p) do out[#out + 1] = k .. v end
  return table.concat(out, ",") .. " " .. s
end)
print(co()); print(co("A")); print(co("B")); print(co("C")); print(co("X")); print(co())
print(tostring(setmetatable({}, {__tostring = function() return 42 end})))
print(pcall(tostring, setmetatable({}, {__tostring = function() return {} end})))
for i, v in ipairs(setmetatable({}, {__index = function(t, i) if i < 3 then return i * 10 end end})) do print(i, v) end
