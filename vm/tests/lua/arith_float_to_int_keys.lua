local t = {}
t[1.0] = "a"
t[2] = "b"
t[2^53] = "c"
print(t[1], t[2.0], t[2^53 | 0], #t)
for k, v in pairs({[1.0] = 1, [2.0] = 2}) do print(math.type(k), k, v) end
t[3.5] = "x"
print(t[3.5], t[3])
print(rawget(t, 1.0), rawget(t, 2^53))
local k = next({[3.0] = true})
print(math.type(k), k)
t = {[-0.0] = "z"}
print(t[0])
