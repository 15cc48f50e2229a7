-- generated program, seed 1126
-- difftest mismatch (seed 1126): `pcall(function() return coroutine.yield(1) end)` on the
-- main thread; lua5.4 raises "attempt to yield from outside a coroutine" without a position.
local t1 = {}
for j = 1, 2 do t1[j] = (j * 37 + 4) % 11 end
table.sort(t1, function(a, b) return a > b end)
print(table.concat(t1, ' '))
do
  local g2 = 0
  ::top_g2::
  g2 = g2 + 1
  local show3 = function(ok, e, ...) return ok, type(e), type(e) == 'table' and (e.code or tostring(e)) or e, ... end
  print(pcall(function() return coroutine.yield(1) end))
  if g2 < 2 then goto top_g2 end
  print('goto', g2)
end
local v4 = ((math.max(3, -1) | 3) // 2)
print(string.rep("ab", (v4 // 1) % 4))
local function va5(a, ...) local t = table.pack(...) return select('#', ...), t.n, a, (select(-1, a, ...)), ... end
print(va5(0))
print((va5(1, 2, 3)), select(2, va5(9)))
local w6 = 0
while w6 < 4 do
  w6 = w6 + 1
  if w6 % 2 == 0 then goto continue_w6 end
  print(math.type((~(7 // (w6 | 1)))), (~(7 // (w6 | 1))) // 2.0, math.mininteger // -1, math.mininteger % -1, math.maxinteger + 1 == math.mininteger)
  print(math.maxinteger + 0.0 == math.maxinteger, math.maxinteger < math.maxinteger + 0.0, 2^53 == 2^53 + 1, math.tointeger(3.0), math.tointeger(3.5), 1 == 1.0, -0.0 == 0)
  print(7 // -2, -7 // 2, 7 % -3, -7 % 3, 7.5 // 2, -7.5 % 2, 1 << 63, 1 << 64, -1 >> 1, 3.0 | 0, 5 // 0.0, -5 // 0.0, math.huge, -math.huge)
  if ((-4 // (v4 | 1)) + 0.25) ~= (v4 - w6) then break end
  ::continue_w6::
end
local t7 = {}
for j = 1, 7 do t7[j] = (j * 37 + 11) % 11 end
table.sort(t7, function(a, b) return a > b end)
print(table.concat(t7, ' '))
local function fib8(n) if n < 2 then return n end return fib8(n - 1) + fib8(n - 2) end
print(fib8(8))
local v9 = -1
local s10 = string.format("%5.2f|%x", ((~(~-1)) // 2.5), ((- v9) >> 41))
print(#s10, s10:upper(), s10:sub(2, 4), s10:find('a', 1, true), (s10:gsub('%d', '#')), s10:byte(1), s10:rep(2, ','))
local function mk11(n) local c = n return function(d) c = c + d return c end end
local f12 = mk11((v9 % ((1 << 62) | 1)))
print(f12(1), f12(2), mk11(0)(5))
local gen13 = coroutine.wrap(function(a) for j = 1, 3 do a = coroutine.yield(a + j) or a end return 'done' end)
for j = 1, 4 do print(gen13(v4)) end
