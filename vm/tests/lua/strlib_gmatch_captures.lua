for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do print(k, v) end
for p in ("abc"):gmatch("()") do print(p) end
for a, p in ("hello"):gmatch("(l)()") do print(a, p) end
for s in ("[a][bc][]"):gmatch("%[(.-)%]") do print("(" .. s .. ")") end
for x, y in ("ab cd ef"):gmatch("(%a)(%a)") do print(y .. x) end
for w in ("THE (quick) fox"):gmatch("%f[%a]%a+") do print(w) end
for q in ('say "hi" and "bye"'):gmatch('"(.-)"') do print(q) end
for a, b, c in ("1:2:3 4:5:6"):gmatch("(%d):(%d):(%d)") do print(a + b + c) end
