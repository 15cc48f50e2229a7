local co = coroutine.wrap(function() local function r(n) return r(n + 1) + 1 end return r(1) end)
local ok, e = pcall(co)
print(ok, (string.gsub(e, "^.*: ", "")))
