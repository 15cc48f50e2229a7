local mt = {}
local names = {"add", "sub", "mul", "div", "mod", "pow", "unm", "idiv",
               "band", "bor", "bxor", "shl", "shr", "bnot", "concat"}
for _, n in ipairs(names) do
  mt["__" .. n] = function(a, b)
    local ta = type(a) == "table" and "V" or tostring(a)
    local tb = type(b) == "table" and "V" or tostring(b)
    return n .. "(" .. ta .. "," .. tb .. ")"
  end
end
local v = setmetatable({}, mt)
print(v + 1, 1 + v, v - 2, 2 - v)
print(v * 3, 3 * v, v / 4, 4 / v)
print(v % 5, 5 % v, v ^ 6, 6 ^ v)
print(-v, v // 7, 7 // v)
print(v & 1, 1 & v, v | 2, 2 | v, v ~ 3, 3 ~ v)
print(v << 4, 4 << v, v >> 5, 5 >> v, ~v)
print(v .. "s", "s" .. v, v .. 1, 1 .. v, v .. v)
print(v + v, v & v)
print(v + "str", "str" * v, 1.5 & v, v | 2.5)
