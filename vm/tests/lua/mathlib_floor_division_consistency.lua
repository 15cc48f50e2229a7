for _, a in ipairs({7, -7, 7.5, -7.5}) do
  for _, b in ipairs({2, -2, 2.0}) do
    print(a, b, math.floor(a / b), a // b, math.fmod(a, b), a % b)
  end
end
