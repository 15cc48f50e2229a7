-- expect: error "instruction limit exceeded"
while true do end
