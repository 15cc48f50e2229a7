-- Binary chunks: mode errors, positions in stripped chunks, malformed input.
local function f(x) local t = nil; return t.x end
local s = string.dump(f)
local stripped = string.dump(f, true)

print(load(s, "x", "t"))
print(load("return 1", "x", "b"))
print(type(load(s, "x", "b")), type(load(s, "x", "bt")), type(load(s)))

-- Runtime errors: full positions from a full dump, `?:-1:` from a stripped one.
print(pcall(load(s), 1))
print(pcall(load(stripped), 1))
print(pcall(load(string.dump(function() error("boom") end, true))))
print(pcall(load(string.dump(function() error("boom", 2) end, true))))
print(pcall(load(string.dump(function() return undefinedglobal.x end, true))))
print(pcall(load(string.dump(function() local x; x() end, true))))
print(pcall(load(string.dump(function(...) local a = {...}; return a.x.y end, true))))
print(pcall(load(string.dump(function() return 1 < {} end, true))))
print(pcall(load(string.dump(function() return 1 < {} end))))

-- debug info of loaded functions.
local info = debug.getinfo(load(stripped))
print(info.source, info.short_src, info.currentline, info.linedefined, info.what)
info = debug.getinfo(load(s))
print(info.source, info.short_src, info.linedefined, info.lastlinedefined, info.nparams)
print(debug.getlocal(load(s), 1), debug.getlocal(load(stripped), 1))

-- Truncated and malformed chunks.
print(load(s:sub(1, 10)))
print(load(s:sub(1, 30)))
print(load(s:sub(1, #s - 1)))
print(load("\27Lua"))
print(load("\27Lua", "=foo"))
print(load("\27Lua", "@bar.lua"))
print(load("\27", "plain"))
local ok = pcall(load, s .. "x")
print(ok)

-- A reader function that returns a dump in pieces.
local pieces, i = {}, 0
for k = 1, #s, 7 do pieces[#pieces + 1] = s:sub(k, k + 6) end
local fr = load(function() i = i + 1; return pieces[i] end)
print(pcall(fr, 1))

-- Natives cannot be dumped.
print(pcall(string.dump, print))
print(pcall(string.dump, string.format))

-- Local 0 names nothing (it used to overflow).
print(debug.getlocal(1, 0))
print(debug.getlocal(print, 0), debug.getlocal(f, 0))
