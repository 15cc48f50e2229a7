local function tree_iter(node)
  return coroutine.wrap(function()
    local function walk(n)
      if not n then return end
      walk(n.left)
      coroutine.yield(n.value)
      walk(n.right)
    end
    walk(node)
  end)
end
local tree = {value = 5, left = {value = 3, left = {value = 1}, right = {value = 4}}, right = {value = 8, right = {value = 9}}}
local out = {}
for v in tree_iter(tree) do out[#out + 1] = v end
print(table.concat(out, " "))
local function zip(a, b)
  local ia, ib = tree_iter(a), tree_iter(b)
  return function()
    local x, y = ia(), ib()
    if x and y then return x, y end
  end
end
for x, y in zip(tree, {value = 10, left = {value = 0}}) do print(x, y) end
