local fields = {"year", "month", "day", "hour", "min", "sec", "wday", "yday", "isdst"}
local function show(t)
  local r = {}
  for _, k in ipairs(fields) do r[#r + 1] = k .. "=" .. tostring(t[k]) end
  print(table.concat(r, " "))
end
show(os.date("!*t", 86400))
show(os.date("!*t", 0))
show(os.date("!*t", 951782400))
show(os.date("!*t", 1709251199))
show(os.date("!*t", 1234567890))
local t = os.date("!*t", 0)
local keys = {}
for k in pairs(t) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, ","))
print(math.type(t.year), type(t.isdst))
