local Y = function(f)
  return (function(x) return x(x) end)(function(x)
    return f(function(...) return x(x)(...) end)
  end)
end
local fact = Y(function(self) return function(n) if n == 0 then return 1 end return n * self(n - 1) end end)
print(fact(10))
local fib = Y(function(self) return function(n) if n < 2 then return n end return self(n - 1) + self(n - 2) end end)
print(fib(15))
local function curry(f, n, ...)
  local args = {...}
  if #args >= n then return f(table.unpack(args, 1, n)) end
  return function(x)
    local a2 = {table.unpack(args)}
    a2[#a2 + 1] = x
    return curry(f, n, table.unpack(a2))
  end
end
print(curry(function(a, b, c) return a * 100 + b * 10 + c end, 3)(1)(2)(3))
