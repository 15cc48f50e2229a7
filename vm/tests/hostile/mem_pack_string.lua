-- expect: error "not enough memory"
return string.pack("s", string.rep("x", 5e7))
