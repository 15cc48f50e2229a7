-- string functions convert numbers with the same rules as tostring
print(string.upper(10), string.upper(10.0), string.upper(-0.0))
print(string.len(1e15), string.len(1e16), string.len(2^63))
print(string.rep(0.1, 2, "|"))
print(string.sub(math.maxinteger, -3))
print(string.sub(math.mininteger, 1, 5))
print(string.reverse(1/0), string.reverse(-1/0))
print(string.format("%s", 1e300 * 10))
print(("x"):rep(2) .. 1 .. 2.0)
