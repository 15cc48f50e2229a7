-- expect: error "not enough memory"
-- A 100 MB error string cannot even be built under the 64 MiB limit.
error(string.rep("x", 100 * 1024 * 1024))
