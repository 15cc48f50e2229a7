-- A pcall retry loop whose protected function raises a table: the instruction-limit
-- error raised at the call of the function used to leave its frame behind, and the loop
-- never stopped.
local n = 0
while true do local ok = pcall(function() n = n + 1 error({}) end) end
