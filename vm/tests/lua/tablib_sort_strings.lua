local seed = 42
local function lcg() seed = (seed * 6364136223846793005 + 1442695040888963407); return (seed >> 33) end
local t = {}
for i = 1, 500 do
  local n = lcg() % 6 + 1
  local chars = {}
  for j = 1, n do chars[j] = string.char(97 + lcg() % 26) end
  t[i] = table.concat(chars)
end
table.sort(t)
local ok = true
for i = 2, #t do if t[i - 1] > t[i] then ok = false end end
print(ok, t[1], t[2], t[500])
table.sort(t, function(a, b) return #a < #b or (#a == #b and a > b) end)
print(t[1], t[500])
local w = {"banana", "Apple", "cherry", "apple", "", "Banana", "a\0b", "a"}
table.sort(w)
for i, s in ipairs(w) do w[i] = (s:gsub("%z", "\\0")) end
print(table.concat(w, "|"))
