local function gen()
  local t = {}
  for i = 1, 3 do
    local v = i * i
    t[i] = function(d) v = v + (d or 0); return v end
  end
  return t
end
local t = gen()
print(t[1](), t[2](), t[3]())
print(t[1](1), t[1](1), t[2](5))
local function blockscope()
  local f
  do
    local hidden = "secret"
    f = function() return hidden end
    hidden = "changed"
  end
  return f
end
print(blockscope()())
local function recurse_closure()
  local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
  return fact
end
print(recurse_closure()(10))
local x = 5
local function getx() return x end
do local x = 99 print(getx(), x) end
