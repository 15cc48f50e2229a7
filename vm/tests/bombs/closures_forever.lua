print(pcall(function() local fs = {} while true do fs[#fs + 1] = function() return fs end end end))
