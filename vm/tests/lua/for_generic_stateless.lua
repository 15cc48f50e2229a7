local function iter(t, i)
  i = i + 1
  local v = t[i]
  if v then return i, v end
end
for i, v in iter, {"a", "b", "c"}, 0 do print(i, v) end
local function rev(t)
  return function(t, i)
    i = i - 1
    if i > 0 then return i, t[i] end
  end, t, #t + 1
end
for i, v in rev({"x", "y", "z"}) do print(i, v) end
local function chars(s)
  return function(s, i)
    if i < #s then return i + 1, s:sub(i + 1, i + 1) end
  end, s, 0
end
for i, c in chars("lua") do print(i, c) end
for a, b, c, d in function(_, x) if not x then return 1, 2, 3, 4 end end do print(a, b, c, d) end
local calls = 0
for k in function() calls = calls + 1; return nil end do print("never") end
print(calls)
