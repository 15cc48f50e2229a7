local trace = {}
local function h1(m) trace[#trace + 1] = "h1:" .. tostring(m); return "H1(" .. tostring(m) .. ")" end
local function h2(m) trace[#trace + 1] = "h2:" .. tostring(m); return "H2(" .. tostring(m) .. ")" end
print(xpcall(function()
  local ok, e = xpcall(function() error("inner", 0) end, h2)
  error("outer after " .. tostring(e), 0)
end, h1))
print(table.concat(trace, " | "))
print(xpcall(function() return xpcall(error, h2, "direct", 0) end, h1))
print(xpcall(function() local t = setmetatable({}, {__index = function() error("idx", 0) end}); return t.x end, h1))
print(xpcall(function(...) return select('#', ...), ... end, h1, 1, nil, 3))
