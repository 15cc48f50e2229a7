-- Mandelbrot set: an n x n bitmap (one bit per pixel, 8 pixels per byte, like
-- the PBM of the shootout program) computed with 50 iterations per point.
-- Instead of writing the PBM the program prints a checksum of the bytes.
-- usage: mandelbrot.lua [n]   (default 800)
local n = tonumber(arg and arg[1]) or 800
local ITER = 50
local LIMIT2 = 4.0

local hash = 5381
local inside = 0
local nbytes = 0
local two_over_n = 2.0 / n

for y = 0, n - 1 do
  local ci = y * two_over_n - 1.0
  local byte, bit = 0, 0
  for x = 0, n - 1 do
    local cr = x * two_over_n - 1.5
    local zr, zi, zr2, zi2 = 0.0, 0.0, 0.0, 0.0
    local escaped = false
    for _ = 1, ITER do
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      zr2 = zr * zr
      zi2 = zi * zi
      if zr2 + zi2 > LIMIT2 then escaped = true; break end
    end
    byte = byte << 1
    if not escaped then byte = byte | 1; inside = inside + 1 end
    bit = bit + 1
    if bit == 8 or x == n - 1 then
      if bit < 8 then byte = byte << (8 - bit) end
      -- djb2-style rolling hash of the bitmap bytes, kept in 32 bits
      hash = ((hash * 33) ~ byte) & 0xffffffff
      nbytes = nbytes + 1
      byte, bit = 0, 0
    end
  end
end

print("mandelbrot " .. n .. "x" .. n .. ": " .. nbytes .. " bytes, " .. inside .. " points inside")
print(string.format("checksum %08x", hash))
