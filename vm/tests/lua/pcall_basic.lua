print(pcall(function() return 1, 2, 3 end))
print(pcall(function(...) return select('#', ...) end, nil, nil))
print(pcall(print, "printed inside pcall"))
print(pcall(pcall, error, "x"))
print(pcall(pcall))
print(pcall(nil))
print(pcall(42))
print(pcall({}))
print(select('#', pcall(function() end)))
local ok, a, b = pcall(function() return "a", "b" end)
print(ok, a, b)
local function nested()
  local ok, err = pcall(error, "inner")
  error("outer after " .. err, 0)
end
print(pcall(nested))
local n = 0
local function rec(k) if k == 0 then error("bottom", 0) end n = n + 1; return rec(k - 1) end
print(pcall(rec, 100), n)
