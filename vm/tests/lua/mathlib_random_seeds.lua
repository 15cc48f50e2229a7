for _, seed in ipairs({0, 1, -1, 123456789, math.maxinteger, math.mininteger}) do
  math.randomseed(seed)
  local a, b, c = math.random(1000), math.random(1000), math.random(1000)
  print(seed, a, b, c, string.format("%.17g", math.random()))
end
math.randomseed(7, 11)
print(math.random(100), math.random(100), math.random(0))
math.randomseed(7, 12)
print(math.random(100), math.random(100))
math.randomseed(3.0)
print(math.random(100))
print(pcall(math.randomseed, 2.5))
print(math.randomseed(42))
print(select("#", math.randomseed(1, 2)), math.randomseed(-7, 9))
