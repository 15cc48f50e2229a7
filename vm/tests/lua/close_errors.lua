local log = {}
local function closer(name, fail)
  return setmetatable({}, {__close = function(self, err)
    log[#log + 1] = name .. ":" .. tostring(err)
    if fail then error(name .. " failed", 0) end
  end})
end
print(pcall(function()
  local a <close> = closer("a")
  local b <close> = closer("b")
  error("body error", 0)
end))
print(table.concat(log, " | "))
log = {}
print(pcall(function()
  local a <close> = closer("a")
  local b <close> = closer("b", true)
  local c <close> = closer("c")
  return "normal"
end))
print(table.concat(log, " | "))
log = {}
print(pcall(function()
  local a <close> = closer("a", true)
  local b <close> = closer("b", true)
  error("orig", 0)
end))
print(table.concat(log, " | "))
log = {}
local ok, err = pcall(function()
  local a <close> = closer("a")
  error({code = 7})
end)
print(ok, type(err), err.code, log[1]:sub(1, 8))
print(pcall(function() local x <close> = {} end))
print(pcall(function() local x <close> = 42 end))
print(pcall(function() local x <close> = setmetatable({}, {}) end))
