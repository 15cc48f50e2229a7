-- number-like strings with math functions
print(math.floor("  5.9  "), math.ceil("0x10"), math.abs("-0x10"))
print(math.max("1"), math.type(math.max("1")))
print(pcall(math.max, "1", 2))
print(math.sqrt("16"), math.fmod("10", "4"), math.modf("-1.5"))
print(pcall(math.floor, "1e"))
print(pcall(math.sqrt, ""))
