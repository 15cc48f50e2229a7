local mt = {__close = function() print("closing") end}
print(pcall(function()
  local x <close> = setmetatable({}, mt)
  mt.__close = nil
end))
local mt2 = {__close = function() print("original") end}
do
  local y <close> = setmetatable({}, mt2)
  mt2.__close = function() print("replaced at close time") end
end
