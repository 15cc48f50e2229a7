-- Fannkuch-redux: permutations and array reversal (integer array work).
-- usage: fannkuch.lua [n]   (default 10)
local n = tonumber(arg and arg[1]) or 10

local function fannkuch(N)
  local perm, perm1, count = {}, {}, {}
  for i = 1, N do perm1[i] = i end
  local maxflips, checksum, sign = 0, 0, 1
  local r = N
  while true do
    while r ~= 1 do count[r] = r; r = r - 1 end
    local flips = 0
    local k = perm1[1]
    if k ~= 1 then
      for i = 2, N do perm[i] = perm1[i] end
    end
    while k ~= 1 do
      -- reverse perm[1..k]; perm[1] is held in k itself
      local i, j = 2, k - 1
      while i < j do
        perm[i], perm[j] = perm[j], perm[i]
        i = i + 1; j = j - 1
      end
      local nk = perm[k]
      perm[k] = k
      flips = flips + 1
      k = nk
    end
    if flips > maxflips then maxflips = flips end
    checksum = checksum + sign * flips
    -- next permutation (rotation scheme)
    while true do
      if r == N then return checksum, maxflips end
      -- rotate the first r+1 elements left by one
      local p0 = perm1[1]
      for i = 1, r do perm1[i] = perm1[i + 1] end
      perm1[r + 1] = p0
      local c = count[r + 1] - 1
      count[r + 1] = c
      if c > 0 then break end
      r = r + 1
    end
    sign = -sign
  end
end

local checksum, flips = fannkuch(n)
print(checksum)
print("Pfannkuchen(" .. n .. ") = " .. flips)
