-- expect: error-contains "too many results"
return select("#", table.unpack({}, 1, 1e7))
