-- An error in a hook that nothing catches ends the script.
local function hook(e, l)
  if l == 6 then error("hook failed on line " .. l) end
end
debug.sethook(hook, "l")
local x = 1
print("not reached", x)
