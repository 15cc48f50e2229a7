-- String building: table.concat of many pieces, repeated `..` in loops,
-- string.rep, string.format with several conversions, and string.byte/sub to
-- fold the results into checksums.
-- usage: string_build.lua [rounds]   (default 80)
local rounds = tonumber(arg and arg[1]) or 80

local format, rep, byte, sub, concat = string.format, string.rep, string.byte, string.sub, table.concat

-- 32-bit FNV-1a over every 3rd byte, read in blocks with string.byte(s, i, j)
local function hash(s, h)
  h = h or 2166136261
  local n = #s
  for i = 1, n, 48 do
    local j = i + 47
    if j > n then j = n end
    local bytes = { byte(s, i, j) }
    for k = 1, #bytes, 3 do
      h = ((h ~ bytes[k]) * 16777619) & 0xffffffff
    end
  end
  return h
end

local h = 2166136261
local total_len = 0

for r = 1, rounds do
  -- 1. table.concat of formatted records
  local parts = {}
  for i = 1, 2000 do
    parts[#parts + 1] = format("%5d|%-8s|%08.3f|%x|%q", i * r, "item" .. (i % 97), i / 7, i * 2654435761 & 0xffff, "s" .. i)
  end
  local csv = concat(parts, "\n")
  h = hash(csv, h)
  total_len = total_len + #csv

  -- 2. repeated concatenation in a loop (quadratic-ish on purpose, kept small)
  local s = ""
  for i = 1, 600 do
    s = s .. (i % 10) .. ","
  end
  h = hash(s, h)
  total_len = total_len + #s

  -- 3. string.rep with and without separators, then slicing
  local line = rep("-=", 500) .. rep("ab", 300, "|")
  local pieces = {}
  for i = 1, #line - 20, 37 do pieces[#pieces + 1] = sub(line, i, i + 19) end
  local joined = concat(pieces, "+")
  h = hash(joined, h)
  total_len = total_len + #joined

  -- 4. building a nested structure as text, then upper/lower/reverse
  local buf = {}
  for i = 1, 300 do
    buf[#buf + 1] = "<node id=\"" .. i .. "\" depth=" .. (i % 7) .. ">" .. rep("x", i % 13) .. "</node>"
  end
  local doc = concat(buf)
  local up = doc:upper()
  local rev = up:reverse():lower()
  h = hash(rev, h)
  total_len = total_len + #doc + #up + #rev

  -- 5. number formatting variety
  local nums = {}
  for i = 1, 1000 do
    local x = (i * 7919 % 10007) / 13
    nums[i] = format("%g %.2e %5.1f %d %s", x, x * 1e5, -x, i * r, tostring(i * 0.5))
  end
  local ns = concat(nums, ";")
  h = hash(ns, h)
  total_len = total_len + #ns
end

print("string_build " .. rounds .. " rounds, " .. total_len .. " bytes built")
print(format("checksum %08x", h))
