local s = [[
first line
second]]
print(s, #s)
print([==[with ]] inside]==])
print([[]] == "", #[[

]])
local t = [=[
a\nb]=]
print(t, #t)
print([[no \t escapes \z]])
local crlf = load("return [[\r\nx\r\ny\n\rz]]")()
print(#crlf, crlf == "x\ny\nz")
local cr = load("return [[a\rb\n\nc]]")()
print(#cr, cr == "a\nb\n\nc")
print(load("return 'a\\\r\nb'")() == "a\nb")
--[[ block
comment ]] print("after block comment")
--[==[ another
]] still comment ]==] print("after level-2 comment")
---[[ not a block comment
print("line comment trick")
--]]
