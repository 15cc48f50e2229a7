-- Selenite goes beyond lua5.4 here: a gsub replacement function may yield (lua5.4 says
-- "attempt to yield across a C-call boundary"), because gsub continues from the
-- dispatch loop instead of a nested C call.
local co = coroutine.wrap(function()
  local r, n = string.gsub("a b c", "%a", function(x) return coroutine.yield(x) end)
  return "done: " .. r .. " (" .. n .. ")"
end)
print(co())
print(co("1"))
print(co("2"))
print(co("3"))
-- errors and non-yielding callbacks behave as usual inside coroutines
local co2 = coroutine.create(function()
  return pcall(string.gsub, "xyz", ".", function(c)
    if c == "z" then error("bad " .. c, 0) end
    return coroutine.yield(c:upper())
  end)
end)
print(coroutine.resume(co2))
print(coroutine.resume(co2, "1"))
print(coroutine.resume(co2, "2"))
print(coroutine.status(co2))
