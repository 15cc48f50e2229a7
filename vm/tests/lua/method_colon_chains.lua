local Builder = {}
Builder.__index = Builder
function Builder.new() return setmetatable({parts = {}}, Builder) end
function Builder:add(s) self.parts[#self.parts + 1] = s; return self end
function Builder:build(sep) return table.concat(self.parts, sep or "") end
print(Builder.new():add("a"):add("b"):add("c"):build("-"))
local b = Builder.new()
b:add("x")
  :add("y")
print(b:build())
local str = ("hello world"):upper():lower():rep(2, "|")
print(str)
print(("%s=%d"):format("k", 5):upper())
