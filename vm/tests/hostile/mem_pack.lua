-- expect: error "not enough memory"
return string.pack("c2000000000", "")
