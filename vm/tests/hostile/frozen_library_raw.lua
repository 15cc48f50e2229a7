-- expect: ok
local probes = {
  function() rawset(string, "x", 1) end,
  function() setmetatable(string, {}) end,
  function() table.insert(math, 1) end,
  function() _G.print = nil end,
  function() rawset(_G, "x", 1) end,
  function() setmetatable(_G, {__index = function() end}) end,
  function() coroutine.wrap = nil end,
  function() getmetatable(_ENV).__index = {} end,
  function() table.move({1, 2}, 1, 2, 1, os) end,
}
for i, p in ipairs(probes) do
  local ok, e = pcall(p)
  assert(not ok and tostring(e):find("read%-only"), i .. ": " .. tostring(e))
end
