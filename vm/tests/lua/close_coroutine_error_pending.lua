-- A coroutine that dies of an error keeps its pending to-be-closed variables until
-- coroutine.close (or coroutine.wrap) closes them, with the error as argument.
local function closer(name)
  return setmetatable({}, {__close = function(_, err)
    print("close " .. name, type(err) == "table" and "a table" or err)
  end})
end

-- Error with two pending variables: nothing closes at the error; close runs both,
-- innermost first, and returns false plus the error.
local co = coroutine.create(function()
  local a <close> = closer("a")
  local b <close> = closer("b")
  error("boom")
end)
print(coroutine.resume(co))
print("status", coroutine.status(co))
print(coroutine.close(co))
print(coroutine.close(co))

-- A handler that raises replaces the error.
co = coroutine.create(function()
  local a <close> = setmetatable({}, {__close = function() error("in close", 0) end})
  error("first", 0)
end)
print(coroutine.resume(co))
print(coroutine.close(co))

-- A pcall inside the coroutine still closes at the pcall.
co = coroutine.create(function()
  print(pcall(function()
    local c <close> = closer("c")
    error("caught", 0)
  end))
  local d <close> = closer("d")
  error("uncaught", 0)
end)
print(coroutine.resume(co))
print("after resume")
print(coroutine.close(co))

-- coroutine.wrap closes at once and propagates the (possibly replaced) error.
local w = coroutine.wrap(function()
  local e <close> = closer("e")
  error("wrapped", 0)
end)
print(pcall(w))
w = coroutine.wrap(function()
  local f <close> = setmetatable({}, {__close = function() error("close wins", 0) end})
  error("lost", 0)
end)
print(pcall(w))

-- A suspended coroutine closed by coroutine.close gets nil.
co = coroutine.create(function()
  local g <close> = closer("g")
  coroutine.yield(1)
end)
print(coroutine.resume(co))
print(coroutine.close(co))

-- An error after a yield: still pending until close.
co = coroutine.create(function()
  local h <close> = closer("h")
  coroutine.yield()
  error({code = 7})
end)
coroutine.resume(co)
local ok, e = coroutine.resume(co)
print(ok, type(e), e.code)
local ok2, e2 = coroutine.close(co)
print(ok2, type(e2), e2 == e)
