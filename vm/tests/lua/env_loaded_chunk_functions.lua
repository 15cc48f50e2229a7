local env = {tostring = tostring}
local chunk = load([[
  counter = 0
  function bump() counter = counter + 1; return counter end
  return function() return tostring(counter) end
]], "envchunk", "t", env)
local reader = chunk()
print(env.bump(), env.bump(), reader(), counter)
print(type(env.bump), bump)
local chunk2 = load("local a = ... ; x = a * 2 ; return x", "c2", "t", setmetatable({}, {__index = _G}))
print(chunk2(21), x)
