print(("hello"):match("()ll()"))
print(("hello"):match("()"))
print(("hello"):match("()", 6))
print(("hello"):match(".-()$"))
print(("hello"):find("()(l+)()"))
print(("abc"):gsub("()", "%1"))
print(string.format("%s %s", ("  x"):match("()x()")))
for p in ("a,b,,c"):gmatch("(),") do print(p) end
print(math.type(("x"):match("()")))
