local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
print(fns[1](), fns[2](), fns[3]())
fns = {}
for k, v in ipairs({"a", "b", "c"}) do fns[k] = function() return k .. v end end
print(fns[1](), fns[2](), fns[3]())
fns = {}
local i = 1
while i <= 3 do
  local j = i
  fns[i] = function() j = j + 100; return j end
  i = i + 1
end
print(fns[1](), fns[2](), fns[3](), fns[1]())
fns = {}
for i = 1, 3 do
  local acc = 0
  fns[i] = function() acc = acc + i; return acc end
end
print(fns[1](), fns[1](), fns[3](), fns[3]())
fns = {}
local shared = 0
for i = 1, 3 do fns[i] = function() shared = shared + 1; return shared end end
print(fns[1](), fns[2](), fns[3]())
fns = {}
for i = 1, 3 do
  fns[i] = function() i = i + 10; return i end
end
print(fns[1](), fns[1](), fns[2]())
