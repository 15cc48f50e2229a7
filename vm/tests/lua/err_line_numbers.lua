local t = {}
print(pcall(function()
  local a = 1
  local b = a +
    t.missing
  return b
end))
print(pcall(function()
  return t
    .x
    .y
end))
print(pcall(function()
  local s = "a" ..
  "b" ..
  t.q
end))
print(pcall(function()
  t.f(
    1,
    2
  )
end))
print(pcall(function()

  error("on line 26")
end))
