local a = 5
print(-a, - -a, -(-a), not a, not nil, not not nil, #"hello", ~a, ~~a)
print(-math.mininteger, -math.maxinteger)
print(not 0, not "", not false)
print(- - - 3, -2^2, (-2)^2)
print(#"", #"\0\0", ~0, ~-1)
