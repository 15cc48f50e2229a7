-- expect: error-contains "xxxxxxxx"
-- A 16 MB error string is passed by reference, caught and rethrown without copies.
local big = string.rep("x", 16 * 1024 * 1024)
for i = 1, 50 do
  local ok, e = pcall(error, big, 0)
  assert(not ok and rawequal(e, big))
end
error(big, 0)
