local function a()
  local x = "a"
  return function()
    local y = x .. "b"
    return function()
      local z = y .. "c"
      return function()
        x = x .. "!"
        return x .. y .. z
      end
    end
  end
end
local f = a()()()
print(f())
print(f())
local function adder(n) return function(m) return function(k) return n + m + k end end end
print(adder(1)(2)(3))
local compose = function(f, g) return function(...) return f(g(...)) end end
local inc = function(x) return x + 1 end
local dbl = function(x) return x * 2 end
print(compose(inc, dbl)(5), compose(dbl, inc)(5))
