local n = 0
repeat local ok = pcall(function() n = n + 1 error("x") end) until n < 0
