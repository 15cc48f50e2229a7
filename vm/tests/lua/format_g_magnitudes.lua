local vals = {0, 1, -1, 0.1, 0.5, 1/3, 2/3, 10, 100, 1e5, 123456, 1234567, 1e15, 1e16, 1e100,
  1e-4, 1e-5, 0.0001234, 123.456, 1e21, 2^53, 2^63, -2^63, 5e-324, 1.7976931348623157e308, 100000, 999999.5}
for _, v in ipairs(vals) do
  print(string.format("%g | %G | %.3g | %.10g | %#g | %.17g", v, v, v, v, v, v))
end
print(string.format("%g", 1/0), string.format("%g", -1/0), string.format("%G", 1/0))
print(string.format("%g", -0.0))
print(string.format("[%10g]", 1.5), string.format("[%-10g]", 1.5), string.format("[%010g]", -1.5))
print(string.format("%.0g", 123), string.format("%.1g", 0.06))
print(string.format("%g", 7), string.format("%g", math.mininteger))
