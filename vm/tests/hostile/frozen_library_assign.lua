-- expect: error-contains "read-only table"
string.rep = function() end
