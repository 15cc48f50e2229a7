#!/usr/bin/env lua5.4
print("shebang line skipped")
print(select("#", ...))
local ok, e = pcall(error, "x")
print(debug == nil or true)
error("line five")
