//! Tests of the `math` library: Lua snippets run through the VM, compared with the output of `lua5.4`
//! 5.4.4 (recorded with `lua5.4 -e "assert(load(io.read('a'), '=test'))()"`).
//!
//! Errors are caught with `pcall` around a non-tail call
//! so that messages carry the `test:1:` position as in lua5.4.

mod common;
use common::check;

#[test]
fn random() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

math.randomseed(42)
print(math.random(1, 100), math.random(), math.random(10))
print(math.random(0), math.random(-5, 5), math.random(math.mininteger, math.maxinteger), math.random(0.0))
local acc = {}
for i = 1, 30 do acc[#acc + 1] = math.random(7) acc[#acc + 1] = math.random(1, 1000000) acc[#acc + 1] = math.random() end
print(table.concat(acc, " "))
print(math.randomseed(7, 3))
print(math.random(100), math.random(3, 3), math.random(math.maxinteger))
print(math.randomseed(2^53))
print(math.random(1 << 40))
p(math.random, 1.5)
p(math.random, 3, 1)
p(math.random, 1, 2, 3)
p(math.random, "x")
p(math.randomseed, 1.5)
p(math.randomseed, {})
"###,
        b"50\t0.54688311243421\t6\n-7059243630996204619\t1\t3891836817331783281\t5064682594356155544\n3 713240 0.46350184055175 1 933695 0.40590734956309 1 491646 0.28054088640762 1 4269 0.16216817106341 1 633540 0.52714839293557 6 716216 0.31254562861355 1 184945 0.30417977913979 1 652177 0.82855430553475 5 431854 0.73347227233925 1 587839 0.77380693693562 7 250443 0.43243920607606 3 578812 0.10075594594057 4 458305 0.11111792167634 2 931836 0.4580142006016 3 874655 0.72127120278407 7 559555 0.68677621673818 2 704164 0.43746967304704 5 382239 0.90582831281175 5 635569 0.9711545735351 2 529076 0.13432623543302 5 672035 0.81076132874444 7 825303 0.16067720268153 2 82523 0.98817652431986 5 745497 0.79384093513556 7 351996 0.83152944854274 2 732975 0.20399744389356 2 865198 0.57692033751359 6 729898 0.63382220919875 1 375709 0.95860159164007 6 716175 0.039227497385733\n7\t3\n52\t3\t8605720332546353275\n9007199254740992\t0\n833975308715\nfalse\ttest:1: bad argument #1 to 'f' (number has no integer representation)\nfalse\ttest:1: bad argument #1 to 'f' (interval is empty)\nfalse\ttest:1: wrong number of arguments\nfalse\ttest:1: bad argument #1 to 'f' (number expected, got string)\nfalse\ttest:1: bad argument #1 to 'f' (number has no integer representation)\nfalse\ttest:1: bad argument #1 to 'f' (number expected, got table)\n",
    );
}

#[test]
fn integer_float() {
    check(
        r###"local function p(f, ...) local a = table.pack(...) print(pcall(function() local r = table.pack(f(table.unpack(a, 1, a.n))) return table.unpack(r, 1, r.n) end)) end

print(math.floor(3.7), math.floor(-3.7), math.floor(-0.0), math.floor(5), math.floor(2^70), math.floor("3.7"), math.floor("3"))
print(math.ceil(3.2), math.ceil(-3.7), math.ceil(-0.5), math.ceil(2^63), math.floor(-2^63))
print(math.type(math.floor(3.5)), math.type(math.floor(1e300)), math.type(math.ceil(-0.5)))
print(math.abs(math.mininteger), math.abs(-0.0), math.abs(-3), math.abs(-3.5), math.abs("-3"))
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8"), math.tointeger("0x10"), math.tointeger({}), math.tointeger(2^63), math.tointeger(-2^63))
print(math.type(1), math.type(1.0), math.type("1"), math.type(nil))
print(math.ult(1, -1), math.ult(-1, 1), math.ult(1.0, 2), math.ult(0, 0))
print(math.fmod(-6, 4), math.fmod(6, -4), math.fmod(-6.0, 4), math.fmod(7, 3.0), math.fmod(math.mininteger, -1), math.fmod(5, 1/0), math.fmod(math.mininteger, math.maxinteger))
print(math.modf(3.5)) print(math.modf(-3.5)) print(math.modf(1/0)) print(math.modf(-1/0)) print(math.modf(-0.0)) print(math.modf(5)) print(math.modf(2^63)) print(math.modf("2.5"))
print(math.max(3, 1.0, 2), math.min(3, 1.0, 2), math.max(3, 3.0), math.min(2.0, 2), math.max(1), math.max(-0.0, 0))
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, math.huge, -math.huge, math.pi)
p(math.max)
p(math.min)
p(math.fmod, 1, 0)
p(math.fmod, 1.5)
p(math.type)
p(math.tointeger)
p(math.ult, 1.5, 2)
p(math.floor, {})
p(math.floor)
p(math.abs)
"###,
        b"3\t-4\t0\t5\t1.1805916207174e+21\t3\t3\n4\t-3\t0\t9.2233720368548e+18\t-9223372036854775808\ninteger\tfloat\tinteger\n-9223372036854775808\t0.0\t3\t3.5\t3.0\n3\tnil\t8\t16\tnil\tnil\t-9223372036854775808\ninteger\tfloat\tnil\tnil\ntrue\tfalse\ttrue\tfalse\n-2\t2\t-2.0\t1.0\t0\t5.0\t-1\n3\t0.5\n-3\t-0.5\ninf\t0.0\n-inf\t0.0\n0\t0.0\n5\t0.0\n9.2233720368548e+18\t0.0\n2\t0.5\n3\t1.0\t3\t2.0\t1\t-0.0\n9223372036854775807\t-9223372036854775808\ttrue\tinf\t-inf\t3.1415926535898\nfalse\ttest:1: bad argument #1 to 'f' (value expected)\nfalse\ttest:1: bad argument #1 to 'f' (value expected)\nfalse\ttest:1: bad argument #2 to 'f' (zero)\nfalse\ttest:1: bad argument #2 to 'f' (number expected, got no value)\nfalse\ttest:1: bad argument #1 to 'f' (value expected)\nfalse\ttest:1: bad argument #1 to 'f' (value expected)\nfalse\ttest:1: bad argument #1 to 'f' (number has no integer representation)\nfalse\ttest:1: bad argument #1 to 'f' (number expected, got table)\nfalse\ttest:1: bad argument #1 to 'f' (number expected, got no value)\nfalse\ttest:1: bad argument #1 to 'f' (number expected, got no value)\n",
    );
}

#[test]
fn transcendental() {
    check(
        r###"
print(math.sqrt(2), math.sqrt(16), math.sin(0), math.cos(0), math.tan(0), math.asin(1), math.acos(1), math.exp(0), math.exp(1))
print(math.atan(1, 2), math.atan(1), math.atan(-0.0, -1), math.atan(0, -1), math.deg(math.pi), math.rad(180))
print(math.log(8, 2), math.log(100, 10), math.log(27, 3), math.log(0), math.log(1024, 2), math.log(0, 10), math.log(2.718281828459045))
print(math.log(-1) ~= math.log(-1), math.log(2, 0), math.sqrt(-1) ~= math.sqrt(-1))
"###,
        b"1.4142135623731\t4.0\t0.0\t1.0\t0.0\t1.5707963267949\t0.0\t1.0\t2.718281828459\n0.46364760900081\t0.78539816339745\t-3.1415926535898\t3.1415926535898\t180.0\t3.1415926535898\n3.0\t2.0\t3.0\t-inf\t10.0\t-inf\t1.0\ntrue\t-0.0\ttrue\n",
    );
}
