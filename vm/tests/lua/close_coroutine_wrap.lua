local log = {}
local co = coroutine.wrap(function()
  local c <close> = setmetatable({}, {__close = function() log[#log + 1] = "closed in co" end})
  coroutine.yield(1)
  return 2
end)
print(co(), #log)
print(co(), table.concat(log, " "))
log = {}
local co2 = coroutine.create(function()
  local c <close> = setmetatable({}, {__close = function(_, e) log[#log + 1] = "closed:" .. tostring(e) end})
  coroutine.yield("y")
end)
print(coroutine.resume(co2))
print(coroutine.close(co2), table.concat(log, " "))
print(coroutine.status(co2))
