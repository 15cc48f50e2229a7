-- Error results and errors of the io library.
local name = os.tmpname()
print(os.remove(name))

-- Missing files: nil, "name: message", errno.
local ok, msg, code = io.open(name)
print(ok, msg:sub(#name + 1), code)
print(select("#", io.open(name)))
print(pcall(io.open, name, "rw"))
print(pcall(io.open, name, "r+x"))
print(pcall(io.open, name, ""))
print(pcall(io.open))
print(pcall(io.open, {}))

-- Valid modes.
for _, m in ipairs({"w", "wb", "w+", "w+b", "a", "ab", "a+", "r", "rb", "r+", "r+b"}) do
  local f = io.open(name, m)
  io.write(m, "=", io.type(f) or "nil", " ")
  if f then f:close() end
end
print()

-- Closed files.
local f = assert(io.open(name, "w"))
print(io.type(f), io.type(io.stdout), io.type(42), io.type({}), io.type(nil))
print(pcall(io.type))
print(f:close())
print(io.type(f), tostring(f))
print(pcall(f.write, f, "x"))
print(pcall(f.read, f))
print(pcall(f.lines, f))
print(pcall(f.seek, f))
print(pcall(f.flush, f))
print(pcall(f.setvbuf, f, "no"))
print(pcall(f.close, f))
print(pcall(io.close, f))

-- Methods on things that are not files.
print(pcall(f.read, {}))
print(pcall(f.write))
print(pcall(f.close, "x"))
print(pcall(io.output().write, io.output(), {}))
print(pcall(io.write, 1, nil))

-- Standard files cannot be closed.
print(io.stdout:close())
print(io.stderr:close())
print(io.type(io.stdout))

-- Reading a file opened for writing fails with the system error.
f = assert(io.open(name, "w"))
local r, m, c = f:read("a")
print(r, m, c)
print(f:read("l"))
f:close()
-- Writing a file opened for reading.
f = assert(io.open(name, "r"))
print(f:write("x"))
f:close()

print(getmetatable(io.stdout).__name)
print(os.remove(name))
