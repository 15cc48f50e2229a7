local s = [==[
contains [[ and ]] and [=[ ]=] freely
]==]
print(s)
print(#[[
]], #[[

]])
local t = [[a]] .. [=[b]=] .. [===[c]===]
print(t)
--[==[ comment with ]] inside ]==]
print("after")
print([[\n is literal]], [[
leading newline dropped]])
