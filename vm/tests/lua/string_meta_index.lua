print(("x"):rep(3))
local s = "abc"
print(s:upper(), type(s.upper), s.len == string.len)
print(getmetatable("").__index == string)
print(#getmetatable("abc").__index.rep("-", 5))
string.shout = function(x) return x:upper() .. "!" end
print(("hey"):shout())
print(s.nonexistent)
print(pcall(function() return s:nonexistent() end))
print(pcall(function() local n = 5 return n:foo() end))
print(("%d"):rep(2):format(1, 2))
print(("test")["len"]("abcd"))
