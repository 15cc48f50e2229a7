-- expect: error-contains "read-only table"
getmetatable("").__index = {rep = function() return "pwned" end}
