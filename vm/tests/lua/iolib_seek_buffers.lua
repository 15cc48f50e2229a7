-- seek, setvbuf, flush, append and update modes, tmpfile.
local name = os.tmpname()
local f = assert(io.open(name, "w+"))
f:write("0123456789")
print(f:seek(), f:seek("cur"), f:seek("set"), f:seek("end"), f:seek("set", 3))
print(f:read(2), f:seek())
f:write("ab")
print(f:seek("cur", -4), f:read("a"))
print(f:seek("end", -2), f:read(1))
print(f:seek("set", -1))
print(pcall(f.seek, f, "bad"))
print(pcall(f.seek, f, "set", 1.5))
print(pcall(f.seek, f, "set", "x"))
print(f:setvbuf("no"), f:setvbuf("full", 1024), f:setvbuf("line"))
print(pcall(f.setvbuf, f, "huge"))
print(pcall(f.setvbuf, f))
print(f:flush(), io.type(f))
f:close()

-- Append mode writes at the end whatever the position.
f = assert(io.open(name, "a+"))
f:write("XY")
f:seek("set", 0)
print(f:read("a"))
f:seek("set", 0)
f:write("Z")
f:seek("set", 0)
print(f:read("a"))
f:close()

-- "r+" updates in place.
f = assert(io.open(name, "r+"))
print(f:read(3))
f:seek("cur")
f:write("---")
f:seek("set")
print(f:read("a"))
f:close()

-- "w" truncates.
f = assert(io.open(name, "w"))
f:close()
f = assert(io.open(name))
print(f:read("a") == "", f:read("l"), f:read(0))
f:close()

-- Temporary files are open for update.
local t = io.tmpfile()
print(io.type(t))
t:write("temporary ", 123)
print(t:seek("set"))
print(t:read("a"))
t:close()
print(io.type(t))

-- Many small writes are buffered and all arrive.
f = assert(io.open(name, "w"))
for i = 1, 5000 do f:write(i % 10) end
f:close()
f = assert(io.open(name))
local s = f:read("a")
print(#s, s:sub(1, 12), s:sub(-3))
f:close()

-- A file closed by a to-be-closed variable.
do
  local g <close> = assert(io.open(name))
  print(g:read(4))
  t = g
end
print(io.type(t))
print(os.remove(name))
