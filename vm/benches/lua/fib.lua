-- Recursive Fibonacci: measures function-call overhead and integer arithmetic.
-- usage: fib.lua [n [reps]]   (default n = 32, reps = 4)
local n = tonumber(arg and arg[1]) or 32

local function fib(k)
  if k < 2 then return k end
  return fib(k - 1) + fib(k - 2)
end

-- fib(32) alone is ~0.15 s in lua5.4, so it is computed `reps` times.
local reps = tonumber(arg and arg[2]) or 4
local sum = 0
for _ = 1, reps do sum = sum + fib(n) end
print("fib(" .. n .. ") = " .. fib(n))
print("checksum " .. sum)
