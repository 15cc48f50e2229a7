-- expect: error "pattern too complex"
-- limit: 2000000000
-- With instructions to spare the pattern engine still stops at its own cap.
return string.find(string.rep("a", 40), string.rep("a*", 40) .. "b")
