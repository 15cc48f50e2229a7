local s = "x"
print(pcall(function() while true do s = s .. s end end))
