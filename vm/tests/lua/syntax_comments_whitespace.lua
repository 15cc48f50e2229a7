-- line comment
print("a") -- trailing comment
--[[ multi
line ]] print("b")
--[=[ ]] ]=] print("c")
print(--[[inline]] "d")
local x =
  1
  +
  2
print(x)
print(
  "multi",
  "line",
  "args"
)
local t = {
  1,
  2,
}
print(#t)
	print("tab indented")
print("semicolons");print("joined")
