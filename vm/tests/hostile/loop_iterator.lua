-- expect: error "instruction limit exceeded"
for _ in function() return 1 end do end
