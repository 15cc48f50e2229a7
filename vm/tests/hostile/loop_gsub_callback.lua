-- expect: error "instruction limit exceeded"
string.gsub("abc", ".", function() while true do end end)
