-- expect: error-contains "table value"
-- The host does not run __tostring of an error object.
error(setmetatable({}, {__tostring = function() while true do end end}))
