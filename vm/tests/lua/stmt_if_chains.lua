local function classify(n)
  if n < 0 then return "neg"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  elseif n < 100 then return "medium"
  else return "large" end
end
for _, v in ipairs({-5, 0, 3, 42, 1000, 0.5, -0.0}) do print(v, classify(v)) end
local function truthy(v) if v then return "T" else return "F" end end
print(truthy(nil), truthy(false), truthy(0), truthy(""), truthy({}), truthy(0/0))
if true then end
if false then else end
local r
if nil then r = 1 elseif false then r = 2 end
print(r)
