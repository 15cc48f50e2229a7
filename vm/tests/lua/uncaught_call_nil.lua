print("start")
local ok = pcall(error, "caught")
print("caught first", ok)
not_a_function()
