print("throwing object with __tostring")
error(setmetatable({}, {__tostring = function() return "custom object message" end}))
