-- expect: error "not enough memory"
local t, i = {}, 0
while true do i = i + 1; t["k" .. i] = {} end
