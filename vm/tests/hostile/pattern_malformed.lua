-- expect: ok
for _, p in ipairs({"%", "[a", "(()", "%b", "%f", "(", ")", "%1", "[%"}) do
  local ok, e = pcall(string.find, "abc", p)
  assert(not ok and e:find("pattern"), p)
end
