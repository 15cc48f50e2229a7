local log = {}
local mt = {}
for _, op in ipairs({"div", "idiv", "mod", "pow"}) do
  mt["__" .. op] = function(a, b)
    log[#log + 1] = op
    local x = type(a) == "table" and a.v or a
    local y = type(b) == "table" and b.v or b
    if op == "div" then return x / y elseif op == "idiv" then return x // y
    elseif op == "mod" then return x % y else return x ^ y end
  end
end
local n = setmetatable({v = 7}, mt)
print(n / 2, n // 2, n % 2, n ^ 2)
print(14 / n, 15 // n, 15 % n, 2 ^ n)
print(pcall(function() return n // 0 end))
print(n % 0.0 ~= n % 0.0)
print(table.concat(log, ","))
