-- expect: error "instruction limit exceeded"
-- Catching the limit error does not give the script more time.
while true do
  pcall(function() while true do end end)
end
