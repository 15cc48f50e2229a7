local t = 1234567890
local convs = {"a", "A", "b", "B", "c", "C", "d", "D", "e", "F", "g", "G", "h", "H", "I", "j", "m", "M", "n", "p",
  "r", "R", "S", "t", "T", "u", "U", "V", "w", "W", "x", "X", "y", "Y", "%"}
for _, c in ipairs(convs) do
  print(c, "[" .. os.date("!%" .. c, t) .. "]")
end
