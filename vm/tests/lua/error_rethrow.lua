local function inner() error({msg = "inner failure"}) end
local function middle()
  local ok, e = pcall(inner)
  if not ok then e.msg = e.msg .. " (seen by middle)"; error(e) end
end
local ok, e = pcall(middle)
print(ok, e.msg)
local function strerr() error("original") end
ok, e = pcall(function()
  local ok2, e2 = pcall(strerr)
  error(e2, 0)
end)
print(ok, e)
ok, e = pcall(function()
  local ok2, e2 = pcall(strerr)
  error(e2)
end)
print(ok, e)
ok, e = pcall(function()
  local ok2, e2 = pcall(strerr)
  error("wrapped: " .. e2, 2)
end)
print(ok, e)
