-- expect: ok
-- The sentinel script set `marker` in its own environment.
assert(marker == nil)
assert(rawget(_G, "marker") == nil)
for k in pairs(_G) do assert(k ~= "marker") end
marker = "overwritten"
assert(rawget(_ENV, "marker") == "overwritten")
