-- expect: error "not enough memory"
return string.format("%q", string.rep("\0", 3e7))
