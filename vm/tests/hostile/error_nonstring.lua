-- expect: error-contains "error object is a table value"
local ok, e = pcall(error, nil)
assert(not ok and e == nil)
ok, e = pcall(error, 42)
assert(e == 42)
error({code = 1})
