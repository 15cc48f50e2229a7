-- expect: ok
for i = 1, 20000 do setmetatable({}, {__gc = function() error("in gc") end}) end
collectgarbage()
collectgarbage()
