-- expect: error "instruction limit exceeded"
do
  local x <close> = setmetatable({}, {__close = function() while true do end end})
end
