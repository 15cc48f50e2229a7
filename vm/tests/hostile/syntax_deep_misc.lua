-- expect: ok
local cases = {
  string.rep("do ", 100000) .. string.rep("end ", 100000),
  string.rep("return function() ", 100000) .. string.rep(" end", 100000),
  "return " .. string.rep("not ", 1000000) .. "1",
  "return " .. string.rep("- ", 1000000) .. "1",
  "return a" .. string.rep("..a", 300000),
  "return 2" .. string.rep("^2", 300000),
  "return " .. string.rep("a[", 100000) .. "1" .. string.rep("]", 100000),
  string.rep("a,", 100000) .. "a = 1",
  "return " .. string.rep("f(", 100000) .. string.rep(")", 100000),
}
for i, src in ipairs(cases) do
  local f, e = load(src)
  assert(not f and (e:find("overflow") or e:find("levels")), i)
end
