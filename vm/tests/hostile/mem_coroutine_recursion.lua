-- expect: error-contains "stack overflow"
local co = coroutine.wrap(function() local function f() return 1 + f() end return f() end)
co()
