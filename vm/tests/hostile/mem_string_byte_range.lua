-- expect: error-contains "string slice too long"
return string.byte(string.rep("x", 1e7), 1, -1)
