local function show(...) print(select('#', ...), ...) end
local function three() return "a", "b", "c" end
show(three())
show(three(), three())
show((three()))
show(three(), nil)
show(nil, three())
local t = {f = show}
t.f(three())
t["f"](1, three())
local obj = {}
function obj:m(...) print(self == obj, select('#', ...), ...) end
obj:m(three())
obj:m(three(), 1)
show(table.unpack({1, 2, 3}))
show(string.byte("abc", 1, -1))
show(string.byte("abc", 10))
