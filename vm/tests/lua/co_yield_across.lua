local co = coroutine.wrap(function(...)
  local args = {...}
  while true do
    local sum = 0
    for _, v in ipairs(args) do sum = sum + v end
    args = {coroutine.yield(sum, #args)}
    if #args == 0 then return "end" end
  end
end)
print(co(1, 2, 3))
print(co(10))
print(co(4, 5))
print(co())
local co2 = coroutine.wrap(function()
  local t = setmetatable({}, {__index = function(_, k) return coroutine.yield(k) end})
  return "value:" .. t.key
end)
print(co2())
print(co2("resumed"))
local co3 = coroutine.wrap(function()
  local ok, v = pcall(function() return coroutine.yield("in pcall") + 1 end)
  return ok, v
end)
print(co3())
print(co3(41))
local co4 = coroutine.wrap(function()
  for i = 1, 3 do
    local x <close> = setmetatable({}, {__close = function() print("close", i) end})
    coroutine.yield(i)
  end
end)
print(co4()); print(co4()); print(co4()); print(select("#", co4()))
