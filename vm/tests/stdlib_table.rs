//! Tests of the `table` library: Lua snippets run through the VM, compared with the output of `lua5.4`
//! 5.4.4 (recorded with `lua5.4 -e "assert(load(io.read('a'), '=test'))()"`).
//!
//! Errors are caught with `pcall` around a non-tail call
//! so that messages carry the `test:1:` position as in lua5.4.

mod common;
use common::check;

#[test]
fn insert_remove() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

local t = {1, 2, 3}
table.insert(t, 4); table.insert(t, 1, 0); table.insert(t, 3, 1.5)
print(table.concat(t, ","))
print(table.remove(t), table.remove(t, 1), table.remove(t, 2), table.concat(t, ","))
local e = {}
print(table.remove(e), table.remove(e, 0), table.remove(e, 1), #e)
print(table.remove({1,2,3}, 4))
table.insert(e, nil) print(#e)
p(table.insert, nil, 1)
p(table.insert, {}, 1, 2, 3)
p(table.insert, {})
p(table.insert, {}, 5, 2)
p(table.insert, {}, 0, 2)
p(table.insert, {}, -1, 2)
p(table.insert, {}, 1.5, 2)
p(table.insert, 1, 2)
p(table.remove, {1,2,3}, 7)
p(table.remove, {}, -1)
p(table.remove, {}, 2)
"###,
        b"0,1,1.5,2,3,4\n4\t0\t1.5\t1,2,3\nnil\tnil\tnil\t0\nnil\n0\nfalse\ttest:1: bad argument #1 to 'f' (table expected, got nil)\nfalse\ttest:1: wrong number of arguments to 'insert'\nfalse\ttest:1: wrong number of arguments to 'insert'\nfalse\ttest:1: bad argument #2 to 'f' (position out of bounds)\nfalse\ttest:1: bad argument #2 to 'f' (position out of bounds)\nfalse\ttest:1: bad argument #2 to 'f' (position out of bounds)\nfalse\ttest:1: bad argument #2 to 'f' (number has no integer representation)\nfalse\ttest:1: bad argument #1 to 'f' (table expected, got number)\nfalse\ttest:1: bad argument #1 to 'f' (position out of bounds)\nfalse\ttest:1: bad argument #1 to 'f' (position out of bounds)\nfalse\ttest:1: bad argument #1 to 'f' (position out of bounds)\n",
    );
}

#[test]
fn insert_remove_meta() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

local log = {}
local store = {}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log+1] = "get" .. k return store[k] end,
  __newindex = function(_, k, v) log[#log+1] = "set" .. k store[k] = v end,
  __len = function() return #store end,
})
table.insert(proxy, "a"); table.insert(proxy, "b"); table.insert(proxy, 1, "c")
print(table.concat(store, ","), table.concat(log, " "))
log = {}
print(table.remove(proxy, 1), table.concat(store, ","), table.concat(log, " "))
local ro = setmetatable({}, {__index = function(_, i) return i * 10 end, __len = function() return 3 end})
print(table.concat(ro, ","), table.unpack(ro))
p(table.insert, ro, 1)
p(table.concat, setmetatable({}, {__len = function() return 2.5 end}))
p(table.concat, setmetatable({}, {__len = function() return "2" end, __index = function(t, i) return i end}))
p(table.sort, setmetatable({}, {__len = function() return math.maxinteger end, __index = rawget, __newindex = rawset}))
"###,
        b"c,a,b\tset1 set2 get2 set3 get1 set2 set1\nc\ta,b\tget1 get2 set1 get3 set2 set3\n10,20,30\t10\t20\t30\ntrue\nfalse\ttest:1: object length is not an integer\ntrue\t12\nfalse\ttest:1: bad argument #1 to 'f' (array too big)\n",
    );
}

#[test]
fn concat() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

print(table.concat({1, 2.5, "x", -0.0, 2^63, math.mininteger}, ", "))
print(table.concat({1, 2, 3}, "-", 2, 3), table.concat({1, 2, 3}, "-", 3, 2), table.concat({}, "x"), table.concat({"a"}, "x"))
p(table.concat, {1, 2, {}})
p(table.concat, {1, true})
p(table.concat, {}, "", 1, 1)
p(table.concat, {"a"}, {})
p(table.concat, "abc")
print(table.concat({[-1] = "m", [0] = "z", "a"}, "|", -1, 1))
"###,
        b"1, 2.5, x, -0.0, 9.2233720368548e+18, -9223372036854775808\n2-3\t\t\ta\nfalse\ttest:1: invalid value (table) at index 3 in table for 'concat'\nfalse\ttest:1: invalid value (boolean) at index 2 in table for 'concat'\nfalse\ttest:1: invalid value (nil) at index 1 in table for 'concat'\nfalse\ttest:1: bad argument #2 to 'f' (string expected, got table)\nfalse\ttest:1: bad argument #1 to 'f' (table expected, got string)\nm|z|a\n",
    );
}

#[test]
fn unpack_pack() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, -2, 2))
print(table.unpack({1, 2, 3}, 3, 2))
print(select("#", table.unpack({}, 1, 3)))
print(table.unpack({"a", "b"}, math.maxinteger - 1 + 1, math.maxinteger))
print(table.unpack({[math.mininteger] = "lo"}, math.mininteger, math.mininteger))
p(table.unpack, {}, 1, 1e8)
p(table.unpack, {}, 1, 1e7)
p(table.unpack, {}, math.mininteger, math.maxinteger)
p(table.unpack, {}, 1.5)
p(table.unpack, {}, 1, "x")
local t = table.pack(1, nil, 3)
print(t.n, t[1], t[2], t[3])
t = table.pack()
print(t.n, #t)
"###,
        b"1\t2\t3\n2\t3\nnil\tnil\tnil\t1\t2\n\n3\nnil\nlo\nfalse\ttest:1: too many results to unpack\nfalse\ttest:1: too many results to unpack\nfalse\ttest:1: too many results to unpack\nfalse\ttest:1: bad argument #2 to 'f' (number has no integer representation)\nfalse\ttest:1: bad argument #3 to 'f' (number expected, got string)\n3\t1\tnil\t3\n0\t0\n",
    );
}

#[test]
fn move_() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

local function s(t) return table.concat(t, ",") end
print(s(table.move({1, 2, 3}, 1, 3, 2)))
print(s(table.move({1, 2, 3, 4, 5}, 2, 5, 1)))
print(s(table.move({1, 2, 3}, 1, 3, 1, {})))
print(s(table.move({1, 2, 3}, 1, 0, 5)))
local a = {1, 2, 3}
print(table.move(a, 1, 3, 1) == a, s(table.move(a, 1, 3, 3, {"x", "y"})))
p(table.move, {1, 2, 3}, -1, math.maxinteger, 2)
p(table.move, {1, 2, 3}, 1, 3, math.maxinteger)
p(table.move, {}, 1, 2)
p(table.move, 1, 1, 2, 3)
local log = {}
local dst = setmetatable({}, {__newindex = function(t, k, v) log[#log+1] = k .. "=" .. v rawset(t, k, v) end})
table.move({"a", "b"}, 1, 2, 5, dst)
print(table.concat(log, " "))
"###,
        b"1,1,2,3\n2,3,4,5,5\n1,2,3\n1,2,3\ntrue\tx,y,1,2,3\nfalse\ttest:1: bad argument #3 to 'f' (too many elements to move)\nfalse\ttest:1: bad argument #4 to 'f' (destination wrap around)\nfalse\ttest:1: bad argument #4 to 'f' (number expected, got no value)\nfalse\ttest:1: bad argument #1 to 'f' (table expected, got number)\n5=a 6=b\n",
    );
}

#[test]
fn sort() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

local seed = 12345
local function rnd() seed = (seed * 1103515245 + 12345) % 2147483648 return seed end
local t = {}
for i = 1, 1000 do t[i] = rnd() % 10000 end
local u = {}
for i = 1, 1000 do u[i] = t[i] end
table.sort(t)
local ok = true
for i = 2, #t do if t[i - 1] > t[i] then ok = false end end
print(ok, #t, t[1], t[500], t[1000])
table.sort(u, function(a, b) return a > b end)
ok = true
for i = 2, #u do if u[i - 1] < u[i] then ok = false end end
print(ok, u[1], u[500], u[1000])
local f = {}
for i = 1, 300 do f[i] = (rnd() % 1000) / 7 end
table.sort(f)
ok = true
for i = 2, #f do if f[i - 1] > f[i] then ok = false end end
print(ok)
local words = {"pear", "apple", "fig", "banana", "kiwi", "cherry"}
table.sort(words) print(table.concat(words, " "))
table.sort(words, function(a, b) return #a < #b or (#a == #b and a < b) end) print(table.concat(words, " "))
local one = {5} table.sort(one) print(one[1])
local sorted = {} for i = 1, 200 do sorted[i] = i end table.sort(sorted) print(sorted[1], sorted[200])
local rev = {} for i = 1, 200 do rev[i] = 201 - i end table.sort(rev) print(rev[1], rev[100], rev[200])
local same = {} for i = 1, 200 do same[i] = 7 end table.sort(same) print(same[1], same[200])
local g = {} for i = 1, 100 do g[i] = {k = rnd() % 50} end
table.sort(g, function(a, b) collectgarbage() return a.k < b.k end)
ok = true for i = 2, #g do if g[i - 1].k > g[i].k then ok = false end end print(ok)
p(table.sort, {3, 1, 2}, 3)
p(table.sort, {3, 2, 1, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4}, function(a, b) return true end)
local bad = {} for i = 1, 100 do bad[i] = i % 7 end
p(table.sort, bad, function(a, b) return a <= b end)
p(table.sort, setmetatable({}, {__len = function() return 2^31 end}))
"###,
        b"true\t1000\t0\t5004\t9988\ntrue\t9988\t5007\t0\ntrue\napple banana cherry fig kiwi pear\nfig kiwi pear apple banana cherry\n5\n1\t200\n1\t100\t200\n7\t7\ntrue\nfalse\ttest:1: bad argument #2 to 'f' (function expected, got number)\nfalse\ttest:1: invalid order function for sorting\nfalse\ttest:1: invalid order function for sorting\nfalse\ttest:1: bad argument #1 to 'f' (array too big)\n",
    );
}
