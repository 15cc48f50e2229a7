-- expect: error "instruction limit exceeded"
return string.find(string.rep("a", 40), string.rep("a*", 40) .. "b")
