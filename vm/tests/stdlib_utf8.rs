//! Tests of the `utf8` library: Lua snippets run through the VM, compared with the output of `lua5.4`
//! 5.4.4 (recorded with `lua5.4 -e "assert(load(io.read('a'), '=test'))()"`).
//!
//! Errors are caught with `pcall` around a non-tail call
//! so that messages carry the `test:1:` position as in lua5.4.

mod common;
use common::check;

#[test]
fn all() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

print(utf8.char(72, 228, 8364, 128512, 0x7FFFFFFF):byte(1, -1))
print(utf8.char() == "", utf8.char(65), utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")
p(utf8.char, -1)
p(utf8.char, 0x80000000)
p(utf8.char, "x")
print(utf8.len("häll€"), utf8.len(""), utf8.len("abc", 4), utf8.len("abc", 2, 1))
print(utf8.len("a\x80b"))
print(utf8.len("\xff"))
print(utf8.len("a\xe4\x80"))
print(utf8.len("\xed\xa0\x80"))
print(utf8.len("\xed\xa0\x80", 1, -1, true), utf8.len("\xf4\x90\x80\x80", 1, -1, true), utf8.len("\xfd\xbf\xbf\xbf\xbf\xbf", 1, -1, true))
print(utf8.len("\xf4\x90\x80\x80"))
print(utf8.len("\xc0\x80"))
p(utf8.len, "abc", 5)
p(utf8.len, "abc", 0)
p(utf8.len, "abc", 1, 4)
print(utf8.len("abc", -1), utf8.len("abc", 1, -5), utf8.len("abc", 4, 3))
print(utf8.codepoint("häll€", 1, -1))
print(utf8.codepoint("abc"), utf8.codepoint("abc", 4, 3), utf8.codepoint("abc", 3, 2))
p(utf8.codepoint, "abc", 0)
p(utf8.codepoint, "abc", 1, 4)
p(utf8.codepoint, "a\x80", 1, -1)
p(utf8.codepoint, "\xed\xa0\x80")
print(utf8.codepoint("\xed\xa0\x80", 1, 1, true))
print(utf8.offset("häll€", 3), utf8.offset("häll€", -1), utf8.offset("häll€", 0, 3), utf8.offset("häll€", 10), utf8.offset("abc", 0), utf8.offset("abc", 4), utf8.offset("abc", -4), utf8.offset("", 1), utf8.offset("", -1))
p(utf8.offset, "häll€", 1, 3)
p(utf8.offset, "abc", 1, 5)
p(utf8.offset, "abc", 1, 0)
print(utf8.offset("abc", 1, -1), utf8.offset("abc", -1, -1), utf8.offset("abc", 0, 4))
local function codes(s, lax) local out = {} for p, c in utf8.codes(s, lax) do out[#out + 1] = p .. ":" .. c end return table.concat(out, " ") end
print(codes("häll€"))
print(codes("") == "")
p(codes, "a\xffb")
p(codes, "a\x80b")
p(codes, "\x80b")
p(codes, "a\xed\xa0\x80")
p(codes, "a\xed\xa0\x80", true)
p(codes, "ab\xe4")
for c in ("häll€"):gmatch(utf8.charpattern) do print(c, #c) end
"###,
        b"72\t195\t164\t226\t130\t172\t240\t159\t152\t128\t253\t191\t191\t191\t191\t191\ntrue\tA\ttrue\nfalse\ttest:1: bad argument #1 to 'f' (value out of range)\nfalse\ttest:1: bad argument #1 to 'f' (value out of range)\nfalse\ttest:1: bad argument #1 to 'f' (number expected, got string)\n5\t0\t0\t0\nnil\t2\nnil\t1\nnil\t2\nnil\t1\n1\t1\t1\nnil\t1\nnil\t1\nfalse\ttest:1: bad argument #2 to 'f' (initial position out of bounds)\nfalse\ttest:1: bad argument #2 to 'f' (initial position out of bounds)\nfalse\ttest:1: bad argument #3 to 'f' (final position out of bounds)\n1\t0\t0\n104\t228\t108\t108\t8364\n97\tnil\nfalse\ttest:1: bad argument #2 to 'f' (out of bounds)\nfalse\ttest:1: bad argument #3 to 'f' (out of bounds)\nfalse\ttest:1: invalid UTF-8 code\nfalse\ttest:1: invalid UTF-8 code\n55296\n4\t6\t2\tnil\t1\t4\tnil\t1\tnil\nfalse\ttest:1: initial position is a continuation byte\nfalse\ttest:1: bad argument #3 to 'f' (position out of bounds)\nfalse\ttest:1: bad argument #3 to 'f' (position out of bounds)\n3\t2\t4\n1:104 2:228 4:108 5:108 6:8364\ntrue\nfalse\ttest:32: invalid UTF-8 code\ntrue\t1:97 3:98\ntrue\t2:98\nfalse\ttest:32: invalid UTF-8 code\ntrue\t1:97 2:55296\nfalse\ttest:32: invalid UTF-8 code\nh\t1\n\xc3\xa4\t2\nl\t1\nl\t1\n\xe2\x82\xac\t3\n",
    );
}
