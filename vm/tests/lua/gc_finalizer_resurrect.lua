-- an object resurrected by its finalizer stays usable; its finalizer does not run twice
local saved
do
  local obj = setmetatable({name = "phoenix"}, {__gc = function(o) saved = o end})
end
collectgarbage()
print(saved and saved.name)
local runs = 0
getmetatable(saved).__gc = function() runs = runs + 1 end
saved = nil
collectgarbage()
collectgarbage()
print(runs)
-- weak values drop a resurrected object, weak keys keep it until it is really dead
local wv = setmetatable({}, {__mode = "v"})
local wk = setmetatable({}, {__mode = "k"})
local keep
do
  local o = setmetatable({}, {__gc = function(x) keep = x end})
  wv[1] = o
  wk[o] = true
end
collectgarbage()
print(wv[1] == nil, keep ~= nil and wk[keep] == true)
