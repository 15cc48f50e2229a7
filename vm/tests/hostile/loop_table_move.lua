-- expect: error "instruction limit exceeded"
table.move({1, 2, 3}, 1, 1e12, 2)
