local nums = {0, -0, 1, -1, 0.0, -0.0, 1.0, 1.25, -1.25, 10, 1e10, 1e14, 1e15, 1e16, 1e17,
  123456789012, 12345678901234567, 2^63, 2^31, 1/3, 2/3, 0.1, 1e-7, 123e-20,
  math.maxinteger, math.mininteger, math.huge, -math.huge, 3.0e2, 5e-1}
for _, n in ipairs(nums) do
  print(math.type(n), tostring(n), n .. "")
end
