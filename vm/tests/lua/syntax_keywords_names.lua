local _ = 1
local _a1, A_, __x = 1, 2, 3
print(_a1 + A_ + __x)
local And, Or, Nil, END = 1, 2, 3, 4
print(And, Or, Nil, END)
local t = {["end"] = 1, ["while"] = 2}
print(t["end"], t["while"])
print(load("local and = 1"))
print(load("local end = 1"))
print(load("t.end = 1"))
print(load("return {if = 1}"))
print(load("local x\1 = 1"))
print(load("local x$ = 1"))
