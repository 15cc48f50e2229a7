-- expect: error "instruction limit exceeded"
return string.gsub(string.rep("a", 2000), "(a-)-b", "")
