local specials = "^$()%.[]*+-?"
for i = 1, #specials do
  local c = specials:sub(i, i)
  local s = "a" .. c .. "b"
  print(c, s:find("%" .. c), s:gsub("%" .. c, "_"))
end
print(("a.b"):gsub(".", "x"))
print(("a+b"):match("a+b"), ("aab"):match("a+b"))
print(("%d"):gsub("%%d", "D"))
print(("1+1=2"):gsub("%p", " "))
