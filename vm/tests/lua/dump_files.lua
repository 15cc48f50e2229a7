-- Binary chunks through loadfile and dofile (a temporary file, removed at the end).
local path = os.tmpname()
local function write(bytes)
  local h = assert(io.open(path, "wb"))
  h:write(bytes)
  h:close()
end

write(string.dump(function(...) return select('#', ...), ... end))
print(loadfile(path)(1, 2, 3))
print(loadfile(path, "b")("x"))
print(loadfile(path, "t"))
print(loadfile(path, "bt")())
print(dofile(path))

write(string.dump(load("return 6 * 7, debug.getinfo(1, 'S').short_src")))
print(dofile(path))
write(string.dump(load("return 6 * 7, debug.getinfo(1, 'S').short_src"), true))
print(dofile(path))

-- A text file with mode "b".
write("return 1")
print(loadfile(path, "b"))
print(loadfile(path, "t")())

-- Truncated binary file.
write(string.dump(function() return 1 end):sub(1, 12))
local f, err = loadfile(path)
print(f, (err:gsub("^.-: bad", "bad")))
os.remove(path)
