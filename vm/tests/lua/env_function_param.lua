local function run(_ENV, code)
  return code()
end
local function sandbox(_ENV)
  return function() return greeting .. " " .. name end
end
local s = sandbox({greeting = "hello", name = "world"})
print(s())
local function setter(_ENV, v) value = v end
local e = {}
setter(e, 42)
print(e.value, value)
local function nested(_ENV)
  return function(_ENV) return tag end
end
print(nested({tag = "outer"})({tag = "inner"}))
print(pcall(function(_ENV) return missing_fn() end, {}))
print(pcall(function(_ENV) return glob + 1 end, {}))
