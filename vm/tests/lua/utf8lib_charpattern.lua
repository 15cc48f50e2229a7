print(utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")
print(#utf8.charpattern)
local s = "héllo wörld ✓ 𝄞"
local n = 0
for ch in s:gmatch(utf8.charpattern) do n = n + 1 end
print(n, utf8.len(s))
local parts = {}
for ch in ("aé✓"):gmatch(utf8.charpattern) do parts[#parts + 1] = #ch end
print(table.concat(parts, ","))
