-- expect: error-contains "too large"
return string.rep("ab", 1e12, string.rep("c", 1000))
