-- __gc runs once per object, in reverse order of marking, during collectgarbage()
local log = {}
for i = 1, 4 do
  setmetatable({}, {__gc = function() log[#log + 1] = "gc" .. i end})
end
collectgarbage()
print(table.concat(log, " "))
-- a finalizer set after setmetatable does not count (__gc must be present at setmetatable)
local mt = {}
setmetatable({}, mt)
mt.__gc = function() log[#log + 1] = "late" end
collectgarbage()
print(#log)
-- errors in finalizers are not raised
setmetatable({}, {__gc = function() error("boom") end})
collectgarbage()
print("still running")
