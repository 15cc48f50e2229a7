print(pcall(function() local cs = {} while true do cs[#cs + 1] = coroutine.create(print) end end))
