local A = {a = "A.a", shared = "A"}
local B = setmetatable({b = "B.b", shared = "B"}, {__index = A})
local C = setmetatable({c = "C.c"}, {__index = B})
local obj = setmetatable({}, {__index = C})
print(obj.a, obj.b, obj.c, obj.shared, obj.missing)
print(rawget(obj, "a"), rawget(C, "c"))
A.late = "added later"
print(obj.late)
obj.a = "own"
print(obj.a, A.a)
local depth = {}
local cur = depth
for i = 1, 50 do
  local nxt = {}
  setmetatable(cur, {__index = nxt})
  cur = nxt
end
cur.deep = "found at 50"
print(depth.deep)
