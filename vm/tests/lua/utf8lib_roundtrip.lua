local cps = {0, 1, 0x41, 0x7F, 0x80, 0xFF, 0x100, 0x7FF, 0x800, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF}
local s = utf8.char(table.unpack(cps))
print(#s, utf8.len(s))
local back = {utf8.codepoint(s, 1, -1)}
local ok = #back == #cps
for i = 1, #cps do if back[i] ~= cps[i] then ok = false end end
print(ok)
local i = 0
for p, c in utf8.codes(s) do i = i + 1; if c ~= cps[i] or utf8.offset(s, i) ~= p then ok = false end end
print(ok, i)
