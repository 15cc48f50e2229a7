local getters, setters = {}, {}
for i = 1, 2 do
  local v = i
  getters[i] = function() return v end
  setters[i] = function(x) v = x end
end
setters[1](100)
print(getters[1](), getters[2]())
setters[2]("two")
print(getters[1](), getters[2]())
local fs = {}
local outer = 0
for i = 1, 3 do
  fs[i] = function() outer = outer + i; return outer end
end
print(fs[1](), fs[2](), fs[3](), outer)
local gens = {}
for _, name in ipairs({"x", "y"}) do
  local n = 0
  gens[name] = function() n = n + 1; return name .. n end
end
print(gens.x(), gens.x(), gens.y(), gens.x())
