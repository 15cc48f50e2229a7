-- expect: error-contains "overflow"
local function f() return coroutine.wrap(f)() end
f()
