-- Pattern matching: string.find (plain and pattern), string.match,
-- string.gmatch and string.gsub (string, table and function replacements)
-- over a generated text of words, numbers, e-mail addresses, dates and tags.
-- usage: pattern_match.lua [rounds]   (default 12)
local rounds = tonumber(arg and arg[1]) or 12

local seed = 7
local function rand(n) -- LCG, 0 .. n-1
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return (seed >> 8) % n
end

local syll = { "ka", "lo", "mi", "ren", "tu", "sha", "vo", "el", "qui", "dor", "ny", "ab" }
local function word()
  local w = {}
  for i = 1, 1 + rand(3) do w[i] = syll[1 + rand(#syll)] end
  return table.concat(w)
end

-- generate ~200 KB of text
local lines = {}
for i = 1, 3000 do
  local l = {}
  for j = 1, 6 + rand(8) do
    local k = rand(20)
    if k == 0 then
      l[#l + 1] = word() .. "@" .. word() .. ".com"
    elseif k == 1 then
      l[#l + 1] = string.format("%04d-%02d-%02d", 1990 + rand(35), 1 + rand(12), 1 + rand(28))
    elseif k == 2 then
      l[#l + 1] = tostring(rand(100000))
    elseif k == 3 then
      l[#l + 1] = "<" .. word() .. ">"
    elseif k == 4 then
      l[#l + 1] = word():upper()
    else
      l[#l + 1] = word()
    end
  end
  lines[i] = table.concat(l, rand(4) == 0 and ", " or " ") .. (rand(3) == 0 and "." or "")
end
local text = table.concat(lines, "\n")

local checksum = 0
local function add(x) checksum = (checksum * 31 + x) & 0xffffffff end

for r = 1, rounds do
  -- gmatch: words, numbers, e-mail parts, dates
  local nwords, nnum, numsum = 0, 0, 0
  for _ in text:gmatch("%a+") do nwords = nwords + 1 end
  for d in text:gmatch("%f[%w]%d+%f[%W]") do nnum = nnum + 1; numsum = numsum + tonumber(d) end
  local mails = 0
  for user, host in text:gmatch("(%w+)@(%w+)%.com") do mails = mails + #user + #host end
  local years = 0
  for y, m, d in text:gmatch("(%d%d%d%d)%-(%d%d)%-(%d%d)") do
    years = years + tonumber(y) * 10000 + tonumber(m) * 100 + tonumber(d)
  end
  add(nwords); add(nnum); add(numsum & 0xffffffff); add(mails); add(years & 0xffffffff)

  -- gsub with string, table and function replacements
  local s1, c1 = text:gsub("(%w+)@(%w+)%.com", "%2 at %1")
  local caps = { ka = "KA", lo = "LO", mi = "MI" }
  local s2, c2 = text:gsub("%f[%a](%a%a)", caps)
  local s3, c3 = text:gsub("<(%a+)>", function(tag) return "[" .. #tag .. "]" end)
  local s4, c4 = text:gsub("%s+", " ")
  add(#s1); add(c1); add(#s2); add(c2); add(#s3); add(c3); add(#s4); add(c4)

  -- find: plain search for a moving needle, and anchored/pattern finds per line
  local needle = syll[1 + r % #syll] .. syll[1 + (r * 5) % #syll]
  local pos, hits = 1, 0
  while true do
    local a, b = text:find(needle, pos, true)
    if not a then break end
    hits = hits + 1
    pos = b + 1
  end
  add(hits)
  local upper_lines, ends_dot, comma_lines = 0, 0, 0
  for i = 1, #lines, 2 do
    local l = lines[i]
    if l:find("%u%u+") then upper_lines = upper_lines + 1 end
    if l:find("%.$") then ends_dot = ends_dot + 1 end
    local first = l:match("^(%a+)")
    if first then add(#first) end
    if l:find(", ", 1, true) then comma_lines = comma_lines + 1 end
  end
  add(upper_lines); add(ends_dot); add(comma_lines)
end

print("pattern_match " .. rounds .. " rounds over " .. #text .. " bytes")
print(string.format("checksum %08x", checksum))
