local function loop(n) if n == 0 then return "done" end return loop(n - 1) end
print(loop(1000000))
local function a(n) if n == 0 then return "a" end return (function(m) return a(m) end)(n - 1) end
print(a(100000))
local function count(n, ...) if n == 0 then return select('#', ...) end return count(n - 1, n, ...) end
print(count(100))
local t = setmetatable({}, {__call = function(self, n) if n == 0 then return "called" end return self(n - 1) end})
print(t(10000))
