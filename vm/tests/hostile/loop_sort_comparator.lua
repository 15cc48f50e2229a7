-- expect: error "instruction limit exceeded"
table.sort({3, 1, 2, 5, 4}, function() while true do end end)
