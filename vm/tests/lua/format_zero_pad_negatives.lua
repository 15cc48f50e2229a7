for _, v in ipairs({-5, 5, 0, -0.5, 0.5}) do
  print(string.format("[%06d|%-6d|%+06d|% 06d]", math.floor(v), math.floor(v), math.floor(v), math.floor(v)),
        string.format("[%08.2f|%-8.2f|%+08.2f|% 8.2f]", v, v, v, v))
end
print(string.format("[%08.2e]", -1.5), pcall(string.format, "[%+08x]", 255))
print(pcall(string.format, "[%08s]", "ab"))
