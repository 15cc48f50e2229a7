-- A module for the pkg_* golden tests: receives its name and file name.
local name, file = ...
print("loading", name, file)
return { name = name, value = 42 }
