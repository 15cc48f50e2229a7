print(("2024-06-30T12:34:56"):match("((%d+)-(%d+)-(%d+))T((%d+):(%d+):(%d+))"))
print(("key: [value]"):match("(%w+):%s*%[(.-)%]"))
print(("a(b(c)d)e"):match("%((.*)%)"))
print(("a(b(c)d)e"):match("%((.-)%)"))
print(("func(1, 2)"):match("^([%w_]+)%((.-)%)$"))
print(("aaa"):match("((a)(a))(a)"))
local t = {("k1=v1;k2=v2"):match("(%w+)=(%w+);(%w+)=(%w+)")}
print(#t, table.concat(t, ","))
