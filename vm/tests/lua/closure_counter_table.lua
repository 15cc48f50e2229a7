local function make_stack()
  local items = {}
  local s = {}
  function s.push(v) items[#items + 1] = v end
  function s.pop() local v = items[#items]; items[#items] = nil; return v end
  function s.size() return #items end
  return s
end
local s1, s2 = make_stack(), make_stack()
s1.push(1); s1.push(2); s2.push("a")
print(s1.size(), s2.size(), s1.pop(), s1.pop(), s1.pop(), s2.pop())
local function memoize(f)
  local cache, hits = {}, 0
  return function(n)
    if cache[n] then hits = hits + 1; return cache[n], hits end
    local v = f(n)
    cache[n] = v
    return v, hits
  end
end
local sq = memoize(function(n) return n * n end)
print(sq(4)); print(sq(4)); print(sq(5)); print(sq(4))
