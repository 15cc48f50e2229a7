-- expect: error "instruction limit exceeded"
-- Quadratic backtracking (every start position tries every length of `a-`): the
-- matcher's steps are charged, and the limit stops it inside one gsub call.
return string.gsub(string.rep("a", 20000), "(a-)-b", "")
