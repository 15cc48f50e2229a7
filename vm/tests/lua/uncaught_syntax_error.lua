print("this never runs because the file does not compile")
local x = = 2
