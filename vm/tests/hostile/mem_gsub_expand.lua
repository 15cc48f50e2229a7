-- expect: error "not enough memory"
-- Each match adds 32 bytes: the result outgrows the limit while being built.
return string.gsub(string.rep("x", 2.5e6), ".", string.rep("%0", 32))
