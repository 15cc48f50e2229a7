print(pcall(string.rep, "x", 2^40))
print(pcall(string.rep, "x", 100 * 1024 * 1024))
