local base = 1704067200 -- 2024-01-01 00:00:00 UTC, a Monday
for i = 0, 8 do
  local t = base + i * 86400
  local d = os.date("!*t", t)
  print(os.date("!%a %A %u %w %j", t), d.wday, d.yday)
end
for m = 1, 12 do
  local t = os.time{year = 2023, month = m, day = 1, hour = 12}
  print(os.date("!%b %B %m %U %W %V %G", t))
end
