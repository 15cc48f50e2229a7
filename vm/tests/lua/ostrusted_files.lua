-- os.tmpname, os.remove and os.rename on temporary files, with their error triples.
local name = os.tmpname()
print(type(name), name:sub(1, 9))
local function strip(s)
  if type(s) ~= "string" then return s end
  local i, j = s:find(name, 1, true)
  while i do
    s = s:sub(1, i - 1) .. "TMP" .. s:sub(j + 1)
    i, j = s:find(name, 1, true)
  end
  return s
end
-- tmpname creates the file.
local f = io.open(name)
print(io.type(f))
f:close()
local second = os.tmpname()
print(name ~= second, os.remove(second))

local other = name .. ".renamed"
print(os.rename(name, other))
print(io.open(name) == nil, io.type(io.open(other)))
local r, msg, code = os.rename(name, other)
print(r, strip(msg), code)
r, msg, code = os.remove(name)
print(r, strip(msg), code)
print(os.remove(other))
print(select("#", os.remove(other)))

-- Missing directories.
r, msg, code = os.remove("/nonexistent-selenite-dir/x")
print(r, msg, code)
r, msg, code = os.rename("/nonexistent-selenite-dir/x", "/nonexistent-selenite-dir/y")
print(r, msg, code)

print(pcall(os.remove))
print(pcall(os.rename, "a"))
print(pcall(os.rename, {}, "b"))
print(pcall(os.remove, {}))
