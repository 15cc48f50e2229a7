local sum = 0
for i = 1, 10 do sum = sum + 0.1 end
print(sum, sum == 1.0, math.abs(sum - 1.0) < 1e-15)
print(0.1 * 3, 0.3, 0.1 * 3 == 0.3)
print(1e16 + 1, 1e16 + 2, 2^53 + 1.0)
print(123456789 * 1000000000, 123456789 * 1e9)
print(1 / 3 * 3, 2 / 3 + 1 / 3)
print(100 * 1.1, 3.3 * 3)
print(1e-320, 1e-320 * 1e10)
print(9007199254740993, 9007199254740993.0)
print(0.1 + 0.7, (0.1 + 0.7) * 10)
print(string.format("%5.1f %5.1f %5.1f", 0.05, 0.15, 0.25))
