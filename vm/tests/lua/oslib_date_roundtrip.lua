-- os.time(os.date("*t", t)) == t  (TZ=UTC in the test environment)
local times = {0, 1, 59, 3600, 86399, 86400, 951782400, 1234567890, 1709251199, 2147483647, 4102444800}
for _, t in ipairs(times) do
  local back = os.time(os.date("*t", t))
  local backu = os.time(os.date("!*t", t))
  print(t, back == t, backu == t, os.date("!%Y-%m-%dT%H:%M:%SZ", t))
end
