-- iterate characters backwards with utf8.offset
local s = "añ✓𝄞b"
local out = {}
local n = utf8.len(s)
for i = n, 1, -1 do
  local p = utf8.offset(s, i)
  local q = utf8.offset(s, i + 1)
  out[#out + 1] = s:sub(p, q - 1)
end
print(table.concat(out), #table.concat(out) == #s)
local pos = #s + 1
local cps = {}
while true do
  pos = utf8.offset(s, -1, pos)
  if not pos then break end
  cps[#cps + 1] = utf8.codepoint(s, pos)
  if pos == 1 then break end
end
print(table.concat(cps, " "))
