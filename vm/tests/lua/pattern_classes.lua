local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
for _, c in ipairs({"a", "c", "d", "g", "l", "p", "s", "u", "w", "x"}) do
  local lo = all:gsub("[^%" .. c .. "]", "")
  local up = all:gsub("[^%" .. c:upper() .. "]", "")
  local printable = lo:gsub("[%c\128-\255]", function(ch) return ("\\" .. ch:byte()) end)
  print(c, #lo, #up, #lo + #up, printable)
end
