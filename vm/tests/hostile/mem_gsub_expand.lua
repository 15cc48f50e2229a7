-- expect: error "not enough memory"
return string.gsub(string.rep("x", 3e7), ".", "%0%0%0")
