print("leaf", ...)
return function() return "leaf function" end
