local function r(n, ...)
  if n == 0 then return select('#', ...) end
  return (r(n - 1, n, ...))
end
print(r(150))
local function down(n) if n == 0 then return "bottom" end local v = down(n - 1) return v end
print(down(9000))
local function sumlist(l) if not l then return 0 end return l.v + sumlist(l.next) end
local list
for i = 1, 5000 do list = {v = i, next = list} end
print(sumlist(list))
