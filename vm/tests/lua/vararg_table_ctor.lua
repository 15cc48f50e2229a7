local function f(...) return {...} end
local function g(...) return {..., "end"} end
local function h(...) return {"start", ...} end
local function n(...) return table.pack(...) end
print(#f(1, 2, 3), #g(1, 2, 3), #h(1, 2, 3))
print(table.concat(g(1, 2, 3), ","), table.concat(h(1, 2, 3), ","))
local p = n(nil, 2, nil)
print(p.n, p[1], p[2], p[3])
p = n()
print(p.n, p[1])
local t = {f(1, 2)}
print(#t, type(t[1]))
local function three() return 1, 2, 3 end
t = {three(), three()}
print(#t, table.concat(t, ","))
t = {three(), (three())}
print(#t, table.concat(t, ","))
t = {three(), x = 1}
print(#t)
t = {x = 1, three()}
print(#t)
t = {[10] = "a", three()}
print(t[10], #t)
