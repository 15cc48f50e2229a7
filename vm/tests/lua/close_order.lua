local function closer(name, log)
  return setmetatable({}, {__close = function(self, err)
    log[#log + 1] = name .. "(" .. tostring(err) .. ")"
  end})
end
local log = {}
do
  local a <close> = closer("a", log)
  local b <close> = closer("b", log)
  local c <close> = closer("c", log)
  log[#log + 1] = "body"
end
print(table.concat(log, " "))
log = {}
local function f()
  local x <close> = closer("x", log)
  do
    local y <close> = closer("y", log)
  end
  log[#log + 1] = "after inner"
  return "result"
end
print(f(), table.concat(log, " "))
log = {}
do
  local n <close> = nil
  local f <close> = false
  local z <close> = closer("z", log)
end
print(table.concat(log, " "))
log = {}
local function multi()
  local a <close> = closer("a", log)
  return 1, 2, 3
end
print(multi())
print(table.concat(log, " "))
