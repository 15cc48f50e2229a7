local function producer()
  return coroutine.create(function()
    for _, item in ipairs({"a", "b", "c"}) do coroutine.yield(item) end
    return nil
  end)
end
local function filter(prod)
  return coroutine.create(function()
    while true do
      local _, item = coroutine.resume(prod)
      if item == nil then return nil end
      coroutine.yield(item:upper())
    end
  end)
end
local f = filter(producer())
while true do
  local ok, item = coroutine.resume(f)
  if not item then break end
  print("consumed", item)
end
print(coroutine.status(f))
local depth = 0
local function nest(n)
  if n == 0 then return coroutine.yield("bottom") end
  local co = coroutine.wrap(nest)
  local r = co(n - 1)
  depth = depth + 1
  return r
end
print(coroutine.wrap(nest)(3), depth)
