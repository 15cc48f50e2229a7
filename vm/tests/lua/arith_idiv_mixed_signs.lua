local pairs_ = {{7, 2}, {-7, 2}, {7, -2}, {-7, -2}, {7.5, 2}, {-7.5, 2}, {7, 0.5}, {-0.0, 1}, {0.0, -1}, {1, -math.huge}, {-1, math.huge}}
for _, p in ipairs(pairs_) do
  local a, b = p[1], p[2]
  print(a, b, a // b, a % b, math.type(a // b))
end
