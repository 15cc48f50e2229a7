for _, a in ipairs({10, -10, 3, -3, 0, math.maxinteger, math.mininteger}) do
  for _, b in ipairs({3, -3, 1, -1, math.maxinteger, math.mininteger}) do
    local r = math.fmod(a, b)
    print(a, b, r, math.type(r))
  end
end
