local cases = {{"hello", "l+"}, {"hello", "(l+)"}, {"hello", "()l"}, {"hello", "z"}, {"", ""}, {"abc", "%a*$"}}
for _, c in ipairs(cases) do
  print(c[1], c[2], "find:", c[1]:find(c[2]))
  print(c[1], c[2], "match:", c[1]:match(c[2]))
end
