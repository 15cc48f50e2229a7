local s = "aé✓𝄞z"
for n = -6, 7 do print(n, utf8.offset(s, n)) end
print(utf8.offset(s, 0, 3), utf8.offset(s, 0, 5), utf8.offset(s, 0, 7))
print(utf8.offset(s, 1, 2), utf8.offset(s, 2, 2), utf8.offset(s, -1, 4))
print(utf8.offset("", 1), utf8.offset("", 0), utf8.offset("", -1))
print(utf8.offset("abc", 1, 4), utf8.offset("abc", -1, 4), utf8.offset("abc", 0, 4))
