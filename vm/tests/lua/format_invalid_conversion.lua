local fmts = {"%y", "%b", "%n", "%10", "%-", "%.", "%ll", "%hd", "%ld", "%lld", "%z", "%w", "%r", "%t",
  "%100d", "%1000s", "%.100f", "%123.4f", "%-+ #0d", "%#d", "%#s", "%.3c", "%#c", "%+s", "% s", "%0s", "%#q", "%0q",
  "%.3i", "%#i", "%+x", "% x", "%+c", "%-+00005d", "%099d", "%.99d", "%99.99f", "%.100d"}
for _, f in ipairs(fmts) do
  local ok, r = pcall(string.format, f, 1)
  if ok and #r > 40 then r = "<" .. #r .. " chars>" end
  print(f, ok, r)
end
