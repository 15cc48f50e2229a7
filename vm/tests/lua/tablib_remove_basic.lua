local t = {"a", "b", "c", "d"}
print(table.remove(t), #t, table.concat(t, ","))
print(table.remove(t, 1), #t, table.concat(t, ","))
print(table.remove(t, #t), #t, table.concat(t, ","))
print(table.remove(t, 1), #t)
print(table.remove(t), #t)
print(table.remove(t, 1), #t)
print(table.remove(t, 0), #t)
print(select("#", table.remove({})))
local u = {1, 2, 3}
print(table.remove(u, 4), #u)
print(table.remove(u, "2"), table.concat(u, ","))
local w = {[0] = "zero"}
print(table.remove(w, 0), w[0])
local x = {n = 1}
x[1] = "x"
print(table.remove(x, 1), x[1], x.n)
