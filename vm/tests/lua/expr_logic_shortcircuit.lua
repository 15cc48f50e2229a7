local calls = {}
local function f(name, v) calls[#calls + 1] = name; return v end
print(f("a", false) and f("b", true))
print(f("c", true) or f("d", true))
print(f("e", nil) or f("f", "x"))
print(f("g", 1) and f("h", nil) and f("i", 1))
print(table.concat(calls, " "))
print(1 and 2, nil and 2, false and nil, 1 or error("no"), nil or false)
print(false or nil, nil or nil, 0 and "zero is true", "" and "empty is true")
local x = nil
local y = x and x.field or "default"
print(y)
print(not nil and 1, not 1 or 2)
local function multi() return 1, 2 end
print(multi() and multi())
print((multi() or 5))
print(nil == false, false == false, not nil == not false)
