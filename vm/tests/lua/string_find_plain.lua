local s = "a.b.c (x) [y] %z"
print(s:find(".", 1, true), s:find("(", 1, true), s:find("%", 1, true))
print(s:find("[y]", 1, true), s:find("b.c", 1, true), s:find("", 1, true), s:find("", 100, true))
print(s:find("c", -5, true), s:find("a", -100, true), s:find("nothing", 1, true))
print(("hello"):find("l"), ("hello"):find("lo"), ("hello"):find("h", 2))
print(("aaa"):find("", 4), ("aaa"):find("", 5))
