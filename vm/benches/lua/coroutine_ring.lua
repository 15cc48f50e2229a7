-- Coroutine ring: N coroutines arranged in a ring pass a token around for many
-- laps.  Each hop is a resume of the next coroutine and a yield back to the
-- driver, so the benchmark measures coroutine switching.  A second phase uses
-- coroutine.wrap generators feeding each other (a pipeline of filters).
-- usage: coroutine_ring.lua [laps]   (default 20000 laps of a 100-coroutine ring)
local laps = tonumber(arg and arg[1]) or 20000
local N = 100

---------------------------------------------------------------- phase 1: ring
local ring = {}
for id = 1, N do
  ring[id] = coroutine.create(function(token)
    -- each member adds its id to the token and hands it back; the driver
    -- forwards it to the next member of the ring
    while true do
      token = coroutine.yield((token + id) % 1000003)
    end
  end)
end

local token = 0
local resume = coroutine.resume
for _ = 1, laps do
  for id = 1, N do
    local ok, t = resume(ring[id], token)
    if not ok then error(t) end
    token = t
  end
end
local alive = 0
for id = 1, N do
  if coroutine.status(ring[id]) == "suspended" then alive = alive + 1 end
end
print("ring: " .. N .. " coroutines, " .. laps .. " laps, token " .. token .. ", suspended " .. alive)

---------------------------------------------------------------- phase 2: pipeline
-- numbers 1..M flow through a chain of wrap() filters (x -> 3x+1 mod p)
local function source(m)
  return coroutine.wrap(function()
    for i = 1, m do coroutine.yield(i) end
  end)
end
local function filter(input, k)
  return coroutine.wrap(function()
    for x in input do coroutine.yield((x * 3 + k) % 65521) end
  end)
end
local M = laps * 20
local gen = source(M)
for k = 1, 10 do gen = filter(gen, k) end
local sum = 0
for x in gen do sum = (sum * 7 + x) % 1000000007 end
print("pipeline: " .. M .. " values through 10 filters, sum " .. sum)
print("checksum " .. (token * 1000 + alive) .. " " .. sum)
