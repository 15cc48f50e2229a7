//! Tests of the `string` library: Lua snippets run through the VM, compared with the output of `lua5.4`
//! 5.4.4 (recorded with `lua5.4 -e "assert(load(io.read('a'), '=test'))()"`).
//!
//! Errors are caught with `pcall` around a non-tail call
//! so that messages carry the `test:1:` position as in lua5.4.

mod common;
use common::check;

#[test]
fn basics() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

print(string.rep("ab", 3, ","), string.rep("x", -1) == "", string.rep("x", 0, "y") == "", string.rep("", 1e10) == "", string.rep("x", 1, "abc"), string.rep("ab", 2.0), ("x"):rep(3, 5))
p(string.rep, "x", 1e10)
p(string.rep, "", 1e18, "x")
p(string.rep, "xx", math.maxinteger)
p(string.rep, "x", 2^31)
p(string.rep, "x", 2^31 - 1, "x")
p(string.rep, "x", 1.5)
print(string.byte("hello", -3, -1))
print(string.byte("hello"), string.byte("hello", 10), string.byte("", 1))
print(string.byte("abc", 0, 100))
print(string.byte("abc", -100, -2))
print(string.byte("abc", 2, 1))
print(string.char(72, 105), string.char() == "", string.byte(12, 1))
p(string.char, 256)
p(string.char, 65, -1)
p(string.char, "a")
print(("hello"):sub(2), ("hello"):sub(-3, -2), ("hello"):sub(0), ("hello"):sub(10) == "", ("hello"):sub(3, 2) == "", ("hello"):sub(math.mininteger, math.maxinteger), ("hello"):sub(-100, 2))
print(string.len("abc\0d"), ("AbC"):lower(), ("AbC"):upper(), ("abc"):reverse(), #string.reverse(""), ("\200A"):lower() == "\200a")
print(string.rep(1, 3), string.upper(12), ("x"):len(), #string.rep("abc", 1000, "--"))
p(string.dump, print)
p(string.dump)
p(string.sub)
p(string.upper, {})
p(string.sub, "x", {})
"###,
        b"ab,ab,ab\ttrue\ttrue\ttrue\tx\tabab\tx5x5x\nfalse\ttest:1: resulting string too large\nfalse\ttest:1: resulting string too large\nfalse\ttest:1: resulting string too large\nfalse\ttest:1: resulting string too large\nfalse\ttest:1: resulting string too large\nfalse\ttest:1: bad argument #2 to 'f' (number has no integer representation)\n108\t108\t111\n104\tnil\n97\t98\t99\n97\t98\n\nHi\ttrue\t49\nfalse\ttest:1: bad argument #1 to 'f' (value out of range)\nfalse\ttest:1: bad argument #2 to 'f' (value out of range)\nfalse\ttest:1: bad argument #1 to 'f' (number expected, got string)\nello\tll\thello\ttrue\ttrue\thello\the\n5\tabc\tABC\tcba\t0\ttrue\n111\t12\t1\t4998\nfalse\ttest:1: unable to dump given function\nfalse\ttest:1: bad argument #1 to 'f' (function expected, got no value)\nfalse\ttest:1: bad argument #1 to 'f' (string expected, got no value)\nfalse\ttest:1: bad argument #1 to 'f' (string expected, got table)\nfalse\ttest:1: bad argument #2 to 'f' (number expected, got table)\n",
    );
}

#[test]
fn metamethods() {
    check(
        r###"
print("10" + 1, "3" * "4", "2" ^ 2, -"2", "10" // 3, "10" % 3, "1e1" / 2, "0x10" + 0, " 5 " - 1, "3" - 1.5, 10 / "4", "7" // "2.0")
print(math.type("10" + 1), math.type("10" + 1.0), math.type("1.0" + 1))
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return 1 + "abc" end))
print(pcall(function() return {} + "abc" end))
print(pcall(function() return "abc" + {} end))
print(pcall(function() return -"abc" end))
print(pcall(function() return "abc" // "1" end))
print(pcall(function() return "abc" ^ true end))
print(pcall(function() return "x" + setmetatable({}, {__add = function(a, b) return "meta:" .. a end}) end))
print(getmetatable("").__index == string, getmetatable("").__name, ("abc"):upper())
"###,
        b"11\t12\t4.0\t-2\t3\t1\t5.0\t16\t4\t1.5\t2.5\t3.0\ninteger\tfloat\tfloat\nfalse\ttest:4: attempt to add a 'string' with a 'number'\nfalse\ttest:5: attempt to add a 'number' with a 'string'\nfalse\ttest:6: attempt to add a 'table' with a 'string'\nfalse\ttest:7: attempt to add a 'string' with a 'table'\nfalse\ttest:8: attempt to unm a 'string' with a 'string'\nfalse\ttest:9: attempt to idiv a 'string' with a 'string'\nfalse\ttest:10: attempt to pow a 'string' with a 'boolean'\ntrue\tmeta:x\ntrue\tnil\tABC\n",
    );
}

#[test]
fn patterns() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

print(string.find("hello world", "o w"), string.find("hello", "l+"), string.find("hello", "(l)(l)"), string.find("a.b", ".", 1, true))
print(string.find("hello", "xyz"), string.find("hello", "", 10), string.find("hello", "", 6), string.find("abc", "b", -1))
print(string.match("key = value", "(%w+)%s*=%s*(%w+)"), string.match("hello", "()ll()"), string.match("abc", ".", -1))
print(string.match("  trim  ", "^%s*(.-)%s*$") .. "|", string.match("2024-01-15", "(%d+)-(%d+)-(%d+)"))
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do print(k, v) end
for w in ("one two three"):gmatch("%a+") do print(w) end
for w in ("abc"):gmatch("", 2) do print(#w) end
for a in ("^a^b"):gmatch("^.") do print(a) end
print(string.gsub("hello world", "o", "0"))
print(string.gsub("hello world", "(%w+)", "<%1>"))
print(string.gsub("hello world", "%w+", "%0 %0", 1))
print(string.gsub("abc", "", "-"))
print(string.gsub("hello", "l", {l = "L"}))
print(string.gsub("hello", ".", {h = 1, e = false}))
print(string.gsub("$name is $age", "%$(%w+)", {name = "Bob", age = 42}))
print(string.gsub("abc", "%w", function(c) return c:upper() .. "." end))
print(string.gsub("abc", "%w", function(c) if c == "b" then return nil end return 1.5 end))
print(string.gsub("^abc", "^a", "x"), string.gsub("aaa", "^a", "x"))
print(string.gsub("abc", "b", 7), string.gsub("abc", "b", "%%"))
print(string.gsub("x = 1, y = 2", "(%w+) = (%w+)", "%2 = %1"))
print(string.gsub(string.rep("a", 100), "a", function() collectgarbage() return "bb" end) == string.rep("bb", 100))
p(string.gsub, "abc", "b", {b = {}})
p(string.gsub, "abc", "b")
p(string.gsub, "abc", "b", "%2")
p(string.gsub, "abc", "b", "%x")
p(string.find, "abc", "[a")
p(string.find, "abc", "%")
p(string.match, "abc", "(()")
p(string.match, "abc", "%1")
p(string.rep)
"###,
        b"5\t3\t3\t2\t2\nnil\tnil\t6\tnil\nkey\t3\tc\ntrim|\t2024\t01\t15\na\t1\nb\t2\nc\t3\none\ntwo\nthree\n0\n0\n0\n^a\n^b\nhell0 w0rld\t2\n<hello> <world>\t2\nhello hello world\t1\n-a-b-c-\t4\nheLLo\t2\n1ello\t5\nBob is 42\t2\nA.B.C.\t3\n1.5b1.5\t3\n^abc\txaa\t1\na7c\ta%c\t1\n1 = x, 2 = y\t2\ntrue\nfalse\ttest:1: invalid replacement value (a table)\nfalse\ttest:1: bad argument #3 to 'f' (string/function/table expected, got no value)\nfalse\ttest:1: invalid capture index %2\nfalse\ttest:1: invalid use of '%' in replacement string\nfalse\ttest:1: malformed pattern (missing ']')\nfalse\ttest:1: malformed pattern (ends with '%')\nfalse\ttest:1: unfinished capture\nfalse\ttest:1: invalid capture index %1\nfalse\ttest:1: bad argument #1 to 'f' (string expected, got no value)\n",
    );
}

#[test]
fn format_pack() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

print(string.format("%d %5.2f %s %q %x %-5s| %g %i %c", 42, 3.14159, "hi", "a\nb\0c\"", 255, "ab", 1e20, -7, 65))
print(string.format("%s %s %s %s", nil, true, 12, 1.5), string.format("%%"), string.format("%q", 1/0), string.format("%q", math.mininteger))
print(string.format("%10.4s|", "abcdefg"), string.format("%+d % d %05d", 5, 5, 5), string.format("%a", 1.0), string.format("%e", 12345.678))
print(string.format("%s", setmetatable({}, {__tostring = function() return "TS" end})))
print(string.format("%5s|%-5d|%.0f|%.14g|%u|%o|%X|%#x", "x", 3, 2.5, 0.1, 3, 8, 255, 255))
p(string.format, "%d", 1.5)
p(string.format, "%d", "x")
p(string.format, "%d")
p(string.format, "%y", 1)
p(string.format, "%q", {})
p(string.format, "%s", setmetatable({}, {__tostring = function() return 1 end}))
p(string.format, "%s", setmetatable({}, {__tostring = function() error("boom") end}))
p(string.format, "%100d", 1)
print(string.pack("i4", 100):byte(1, -1))
print(string.unpack("i4", string.pack("i4", -2)))
print(string.packsize("i4i8"), string.unpack("z", "hello\0rest"), string.unpack("s1", "\5hello"))
print(string.unpack("<h>h", "\1\0\0\1"))
print(string.unpack("d", string.pack("d", 1.5)), #string.pack("s", "abc"))
p(string.pack, "i17", 1)
p(string.pack, "i1", 300)
p(string.unpack, "i4", "ab")
p(string.packsize, "s")
p(string.pack, "d", "x")
print(("x"):find("x"), ("%d"):format(7))
"###,
        b"42  3.14 hi \"a\\\nb\\0c\\\"\" ff ab   | 1e+20 -7 A\nnil true 12 1.5\t%\t1e9999\t0x8000000000000000\n      abcd|\t+5  5 00005\t0x1p+0\t1.234568e+04\nTS\n    x|3    |2|0.1|3|10|FF|0xff\nfalse\ttest:1: bad argument #2 to 'f' (number has no integer representation)\nfalse\ttest:1: bad argument #2 to 'f' (number expected, got string)\nfalse\ttest:1: bad argument #2 to 'f' (no value)\nfalse\ttest:1: invalid conversion '%y' to 'format'\nfalse\ttest:1: bad argument #2 to 'f' (value has no literal form)\ntrue\t1\nfalse\ttest:14: boom\nfalse\ttest:1: invalid conversion specification: '%100d'\n100\t0\t0\t0\n-2\t5\n12\thello\thello\t7\n1\t1\t5\n1.5\t11\nfalse\ttest:1: integral size (17) out of limits [1,16]\nfalse\ttest:1: bad argument #2 to 'f' (integer overflow)\nfalse\ttest:1: bad argument #2 to 'f' (data string too short)\nfalse\ttest:1: bad argument #1 to 'f' (variable-length format)\nfalse\ttest:1: bad argument #2 to 'f' (number expected, got string)\n1\t7\n",
    );
}
