-- expect: ok
-- Malformed patterns fail with lua5.4's messages.
local cases = {
  ["%"] = "malformed pattern (ends with '%')",
  ["[a"] = "malformed pattern (missing ']')",
  ["[%"] = "malformed pattern (missing ']')",
  ["(()"] = "unfinished capture",
  ["("] = "unfinished capture",
  ["%b"] = "malformed pattern (missing arguments to '%b')",
  ["%f"] = "missing '[' after '%f' in pattern",
  ["%1"] = "invalid capture index %1",
}
for p, want in pairs(cases) do
  local ok, e = pcall(string.find, "abc", p)
  assert(not ok and e == want, p .. ": " .. tostring(e))
end
-- A lone ')' is only an error once it is reached with no open capture.
assert(select("#", string.find("abc", ")")) == 1)
