local nz = -0.0
print(nz, 0.0, -0.0 == 0.0, 0.0 == -0.0)
print(1 / nz, 1 / 0.0)
print(-0, 0 * -1, 0.0 * -1)
print(tostring(-0.0), string.format("%g", -0.0))
print(nz + 0.0, nz - 0.0, 0.0 - 0.0)
print(-(0.0), -(-0.0))
local t = {}
t[nz] = "negzero"
print(t[0], t[0.0], math.type(next(t)))
print(math.abs(-0.0))
print(3 % -3.0, -3 % 3.0)
