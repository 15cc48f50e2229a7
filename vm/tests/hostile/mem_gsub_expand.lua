-- expect: error "not enough memory"
-- Each match adds eight bytes: the result outgrows the limit while being built.
return string.gsub(string.rep("x", 1e7), ".", "%0%0%0%0%0%0%0%0")
