local function nest(n)
  if n == 0 then error("bottom", 0) end
  local ok, e = pcall(nest, n - 2)
  return "level " .. n .. " caught: " .. tostring(e)
end
print(nest(1))
print(nest(3))
local depth = 0
local function count(n)
  if n == 0 then return 0 end
  local ok, v = pcall(count, n - 2)
  return v + 1
end
print(count(150))
local ok, e = pcall(pcall, pcall, error, "x")
print(ok, e)
print(pcall(pcall, pcall, error, "y"))
