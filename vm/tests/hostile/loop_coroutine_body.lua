-- expect: error "instruction limit exceeded"
local co = coroutine.create(function() while true do end end)
local ok, e = coroutine.resume(co)
error(e, 0)
