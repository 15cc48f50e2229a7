-- expect: error-contains "attempt to index"
local _ENV = nil
return print
