local function collect(s, lax)
  local t = {}
  local ok, err = pcall(function() for p, c in utf8.codes(s, lax) do t[#t + 1] = p .. ":" .. c end end)
  return table.concat(t, " "), ok, err
end
print(collect("ab\xffcd"))
print(collect("ab\x80"))
print(collect("\xC0\x80"))
print(collect("a\xE2\x9C"))
print(collect("\xED\xA0\x80"))
print(collect("\xED\xA0\x80", true))
print(collect("\xF4\x90\x80\x80"))
print(collect("\xF4\x90\x80\x80", true))
print(collect("\xF8\x88\x80\x80\x80", true))
print(collect("é\x80"))
print(pcall(utf8.codes))
print(pcall(utf8.codes, {}))
