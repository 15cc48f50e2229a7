local pats = {"%", "[a", "[a-", "[^", "[]", "[%", "(", "(()", ")", "a)", "%b", "%ba", "%f", "%fa",
  "%f[a", "%1", "(a)%2", "(a%1)", "%0", "[%a-z", "((a)", "a%"}
for _, p in ipairs(pats) do
  print(p, pcall(string.find, "abc", p))
end
print(pcall(string.gsub, "abc", "(", "x"))
print(pcall(string.match, "abc", "[a"))
print(pcall(string.gmatch("abc", "%"), nil))
-- ')' alone has no special chars, so find does a plain search; match does not
print(pcall(string.find, "a)", ")"))
print(pcall(string.match, "a)", ")"))
print(pcall(string.find, "a)", "%a)"))
print(pcall(string.gsub, "a)", ")", ""))
print(pcall(string.match, "abc", "%b()%"))
