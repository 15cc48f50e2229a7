-- Default input and output files: io.input, io.output, io.read, io.write, io.close.
local name = os.tmpname()
print(io.input() == io.stdin, io.output() == io.stdout)
-- Standard input is empty under the test runner.
print(io.read(), io.read("a"), io.read(0), io.read("n"))

local out = io.output(name)
print(io.type(out), io.output() == out)
print(io.write("one\n", 2, "\n", 3.25, "\n") == out)
print(io.close())
print(io.type(out))
print(pcall(io.write, "x"))
print(pcall(io.flush))
io.output(io.stdout)

print(io.type(io.input(name)))
print(io.read())
print(io.read("n", "n"))
print(io.read("a"))
print(io.read())
for l in io.lines() do print("never", l) end
io.input():close()
print(pcall(io.read))
print(pcall(io.lines))
io.input(io.stdin)

-- A file handle can be made the default.
local f = assert(io.open(name, "a"))
io.output(f)
io.write("appended\n")
io.output():flush()
io.output(io.stdout)
f:close()
for l in io.lines(name) do io.write(l, ";") end
print()
print(pcall(io.input, {}))
print(pcall(io.output, "/nonexistent-selenite-dir/file"))
print(os.remove(name))
