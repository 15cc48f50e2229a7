local mt = {__concat = function(a, b)
  local sa = type(a) == "table" and "[" .. a.v .. "]" or tostring(a)
  local sb = type(b) == "table" and "[" .. b.v .. "]" or tostring(b)
  return sa .. sb
end}
local x = setmetatable({v = "x"}, mt)
local y = setmetatable({v = "y"}, mt)
print(x .. "s", "s" .. x, x .. 1, 1 .. x, x .. 2.5, 2.5 .. x)
print(x .. y, "a" .. x .. "b")
print("a" .. "b" .. x .. "c" .. "d")
print(1 .. 2 .. x)
local r = setmetatable({}, {__concat = function(a, b) return 42 end})
print("q" .. r, r .. "q", type("p" .. "q" .. r))
local t = setmetatable({}, {__concat = function(a, b) return {n = (type(a) == "table" and (a.n or 0) or 0) + 1} end})
local res = t .. "a" .. "b"
print(type(res), res.n)
print(pcall(function() return {} .. "a" end))
print(pcall(function() return "a" .. true end))
