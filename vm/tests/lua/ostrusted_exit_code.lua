-- os.exit with a status code and close=true runs pending to-be-closed variables.
local t <close> = setmetatable({}, {__close = function() print("closed on exit") end})
io.write("before exit\n")
os.exit(3, true)
