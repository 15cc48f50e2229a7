-- io.lines and file:lines with and without formats.
local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("alpha\nbeta\n\ngamma\n10 20 30\nlast")
f:close()

for l in io.lines(name) do io.write("[", l, "]") end
print()
for l in io.lines(name, "L") do io.write("<", l, ">") end
print()
for a, b in io.lines(name, 2, 3) do io.write(a, "|", tostring(b), ";") end
print()
local n = 0
for c in io.lines(name, 1) do n = n + 1 end
print("chars", n)

f = assert(io.open(name))
local it = f:lines()
print(it(), it(), it(), it())
print(f:read("n", "n", "n"))
print(it(), it())
print(io.type(f))
f:close()
print(pcall(it))

f = assert(io.open(name))
for l in f:lines("l") do if l == "beta" then break end end
print(f:read())
f:close()

-- io.lines returns four values: the iterator, nil, nil and the file to close.
print(select("#", io.lines(name)))
local i1, s, c, tbc = io.lines(name)
print(type(i1), s, c, io.type(tbc))
tbc:close()

-- The generic for closes the file when the loop is left early.
local saved
do
  for l, _ in io.lines(name, "l", "l") do break end
end

-- Errors.
local function strip(s)
  local i, j = s:find(name, 1, true)
  if i then return s:sub(1, i - 1) .. "TMP" .. s:sub(j + 1) end
  return s
end
local ok, e = pcall(io.lines, name .. ".missing")
print(ok, strip(e))
local ok2, it2, _, _, file2 = pcall(io.lines, name, "x")
print(ok2, type(it2), io.type(file2))
file2:close()
print(pcall(function() for l in io.lines(name, "x") do end end))
print(pcall(f.lines, 42))
print(pcall(io.lines, {}))
print(os.remove(name))
