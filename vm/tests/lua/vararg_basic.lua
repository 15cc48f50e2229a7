local function f(a, b, ...)
  print("a,b:", a, b, "n extra:", select('#', ...))
  return ...
end
print(f(1))
print(f(1, 2, 3, 4))
print(f())
local function count(...)
  local n = 0
  for i = 1, select('#', ...) do
    if (select(i, ...)) ~= nil then n = n + 1 end
  end
  return n
end
print(count(1, nil, 3, nil, nil))
local function sum(...)
  local s = 0
  for _, v in ipairs({...}) do s = s + v end
  return s
end
print(sum(), sum(1), sum(1, 2, 3, 4, 5))
local function varlocal(...)
  local a, b = ...
  local x = ...
  return a, b, x
end
print(varlocal(7, 8, 9))
local function second(...) return (select(2, ...)) end
print(second("a", "b", "c"))
print(select('#', table.unpack({1, 2, nil, 4}, 1, 4)))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 5))
print(table.unpack({}, 1, 0))
print(table.unpack({"a", "b"}, -1, 1))
