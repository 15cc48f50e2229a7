local t = {}
print(pcall(function() while true do t[#t + 1] = {} end end))
