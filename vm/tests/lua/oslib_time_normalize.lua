local function d(t) return os.date("!%Y-%m-%d %H:%M:%S", os.time(t)) end
print(d{year = 2000, month = 13, day = 1, hour = 0})
print(d{year = 2000, month = 1, day = 32, hour = 0})
print(d{year = 2000, month = 3, day = 0, hour = 0})
print(d{year = 2001, month = 3, day = 0, hour = 0})
print(d{year = 2000, month = 1, day = 1, hour = 25})
print(d{year = 2000, month = 1, day = 1, hour = 0, min = -1})
print(d{year = 2000, month = 1, day = 1, hour = 0, sec = 86400 * 2})
print(d{year = 2000, month = 0, day = 1, hour = 0})
print(d{year = 2000, month = -11, day = 1, hour = 0})
print(d{year = "2000", month = "2", day = "3", hour = 0})
-- os.time normalizes the fields of the table it is given
local t = {year = 2000, month = 14, day = 35, hour = 12}
os.time(t)
print(t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst)
