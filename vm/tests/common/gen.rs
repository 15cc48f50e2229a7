//! A deterministic generator of valid, terminating Lua 5.4 programs whose output does not
//! depend on the implementation: no addresses (tables and functions are never printed or
//! passed to `tostring`), no `pairs` order (keys are sorted first), no `#` of tables with
//! holes, no NaN (whose sign `print` shows differently across C libraries), and every loop
//! is bounded by a counter the loop body cannot assign. Shared by `tests/generator.rs` and
//! `examples/genlua.rs` (used by `scripts/difftest.sh` against `lua5.4`).
//!
//! Programs cover integer and float arithmetic (wrap-around, `//`, `%`, bitwise, shifts,
//! int/float comparisons), string coercions and concatenation, all the control structures
//! (`if`, `while`, `repeat`, numeric and generic `for`, `goto`, `break`), closures and
//! upvalues, varargs, metatables (`__index`, `__newindex`, `__add`, `__eq`, `__lt`,
//! `__le`, `__call`, `__concat`, `__len`, `__unm`, `__close`), coroutines and errors
//! (`error`, `pcall`, `xpcall` with non-string error values and runtime error messages).

#![allow(dead_code)]

/// xorshift64*.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    /// A small integer in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
}

/// An integer local in scope; loop counters are read-only so that loops stay bounded.
#[derive(Clone)]
struct Var {
    name: String,
    mutable: bool,
}

struct Gen {
    rng: Rng,
    out: String,
    indent: usize,
    ints: Vec<Var>,
    /// String locals in scope (never assigned after declaration).
    strs: Vec<String>,
    next_id: usize,
    depth: usize,
    /// Inside a loop whose body may `break`.
    in_loop: bool,
}

/// Integer constants that make wrap-around and boundary cases likely.
const BIG: &[&str] = &[
    "math.maxinteger",
    "math.mininteger",
    "0x7fffffff",
    "-0x80000000",
    "0xffffffffffffffff",
    "(1 << 62)",
    "9007199254740993",
    "-1",
];

impl Gen {
    fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn open(&mut self, s: &str) {
        self.line(s);
        self.indent += 1;
    }

    fn close(&mut self, s: &str) {
        self.indent -= 1;
        self.line(s);
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id)
    }

    fn int_var(&mut self) -> Option<String> {
        if self.ints.is_empty() {
            return None;
        }
        let i = self.rng.below(self.ints.len() as u64) as usize;
        Some(self.ints[i].name.clone())
    }

    fn mutable_var(&mut self) -> Option<String> {
        let m: Vec<String> = self
            .ints
            .iter()
            .filter(|v| v.mutable)
            .map(|v| v.name.clone())
            .collect();
        if m.is_empty() {
            return None;
        }
        Some(m[self.rng.below(m.len() as u64) as usize].clone())
    }

    fn push_int(&mut self, name: &str, mutable: bool) {
        self.ints.push(Var {
            name: name.to_string(),
            mutable,
        });
    }

    fn small(&mut self) -> String {
        format!("{}", self.rng.range(-5, 14))
    }

    /// An integer leaf: a variable, a small literal or a boundary constant.
    fn int_leaf(&mut self) -> String {
        match self.rng.below(10) {
            0..=4 => self.int_var().unwrap_or_else(|| "3".into()),
            5 => self.rng.pick(BIG).to_string(),
            _ => self.small(),
        }
    }

    /// An expression of integer subtype (operands wrap identically everywhere; divisors are
    /// never zero).
    fn int_expr(&mut self, d: usize) -> String {
        if d == 0 || self.rng.chance(25) {
            return self.int_leaf();
        }
        let a = self.int_expr(d - 1);
        let b = self.int_expr(d - 1);
        match self.rng.below(16) {
            0 => format!("({a} + {b})"),
            1 => format!("({a} - {b})"),
            2 => format!("({a} * {b})"),
            // `| 1` makes the divisor odd, hence nonzero; -1 with mininteger wraps.
            3 => format!("({a} // ({b} | 1))"),
            4 => format!("({a} % ({b} | 1))"),
            5 => format!("({a} & {b})"),
            6 => format!("({a} | {b})"),
            7 => format!("({a} ~ {b})"),
            8 => format!("(~{a})"),
            9 => format!("({a} << {})", self.rng.range(-2, 65)),
            10 => format!("({a} >> {})", self.rng.range(-2, 65)),
            11 => format!("math.max({a}, {b})"),
            12 => format!("math.min({a}, {b})"),
            13 => format!("(#tostring({a}))"),
            // The space keeps `- -5` from reading as a comment.
            14 => format!("(- {a})"),
            _ => format!("({a} // {})", self.rng.pick(&["1", "2", "-3", "7", "-1"])),
        }
    }

    /// An expression of float subtype. Never NaN: floats come from integers through one
    /// operation with a finite nonzero constant, so they stay finite.
    fn float_expr(&mut self, d: usize) -> String {
        let a = self.int_expr(d);
        match self.rng.below(10) {
            0 => format!(
                "({a} / {})",
                self.rng.pick(&["1", "2", "3", "-4", "7", "0.5"])
            ),
            1 => format!("({a} * 0.5)"),
            2 => format!("({a} + 0.25)"),
            3 => format!("({a} - 1e15)"),
            4 => format!("({a} // 2.5)"),
            5 => format!("({a} % -2.5)"),
            6 => format!("(2 ^ ({a} % 12))"),
            7 => format!("({a} * 1.0)"),
            8 => format!("math.abs({a} + 0.0)"),
            _ => format!("({a} / (({} | 1) * 1.0))", self.int_expr(0)),
        }
    }

    /// Any number, or a string coerced to one.
    fn num_expr(&mut self, d: usize) -> String {
        match self.rng.below(8) {
            0..=3 => self.int_expr(d),
            4 | 5 => self.float_expr(d),
            6 => {
                let s = self.rng.pick(&[
                    "\"10\"", "\"0x10\"", "\" 7 \"", "\"1.5\"", "\"1e2\"", "\"-3\"",
                ]);
                format!("({s} + {})", self.int_expr(d.saturating_sub(1)))
            }
            _ => {
                let s = self.rng.pick(&["\"6\"", "\"2.5\"", "\"0x7\""]);
                format!("({s} * {s})")
            }
        }
    }

    fn str_expr(&mut self, d: usize) -> String {
        if !self.strs.is_empty() && self.rng.chance(25) {
            let i = self.rng.below(self.strs.len() as u64) as usize;
            return self.strs[i].clone();
        }
        match self.rng.below(10) {
            0 => format!("(\"s\" .. {})", self.int_expr(d)),
            1 => format!("string.rep(\"ab\", {} % 4)", self.int_expr(d)),
            2 => format!("tostring({})", self.num_expr(d)),
            3 => format!("(\"x\" .. {} .. \"y\")", self.num_expr(d)),
            4 => format!("string.format(\"%d:%s\", {}, \"q\")", self.int_expr(d)),
            5 => format!(
                "string.format(\"%5.2f|%x\", {}, {})",
                self.float_expr(d),
                self.int_expr(d)
            ),
            6 => format!("({} .. {})", self.int_expr(d), self.float_expr(d)),
            7 => format!(
                "string.sub(\"abcdefgh\", {}, {})",
                self.rng.range(-9, 9),
                self.rng.range(-9, 9)
            ),
            8 => format!("(\"k\" .. string.char(65 + {} % 26))", self.int_expr(d)),
            _ => format!("string.upper(\"m\" .. {})", self.int_expr(d)),
        }
    }

    fn bool_expr(&mut self, d: usize) -> String {
        let op = self.rng.pick(&["<", "<=", ">", ">=", "==", "~="]);
        match self.rng.below(6) {
            0 => format!("{} {op} {}", self.str_expr(d), self.str_expr(d)),
            1 => format!("{} {op} {}", self.float_expr(d), self.int_expr(d)),
            2 => format!("math.ult({}, {})", self.int_expr(d), self.int_expr(d)),
            3 => format!(
                "({} == {}) == ({} ~= nil)",
                self.int_expr(d),
                self.num_expr(d),
                self.int_leaf()
            ),
            _ => format!("{} {op} {}", self.int_expr(d), self.int_expr(d)),
        }
    }

    fn print_value(&mut self) {
        let e = match self.rng.below(6) {
            0 => self.float_expr(2),
            1 => self.str_expr(2),
            2 => self.bool_expr(2),
            3 => {
                let n = self.num_expr(2);
                format!("math.type({n}), {n}")
            }
            _ => self.int_expr(3),
        };
        self.line(&format!("print({e})"));
    }

    fn block(&mut self, n: usize) {
        let (si, ss) = (self.ints.len(), self.strs.len());
        for _ in 0..n {
            self.stat();
        }
        self.ints.truncate(si);
        self.strs.truncate(ss);
    }

    /// A loop body: statements and sometimes a conditional `break`.
    fn loop_body(&mut self, n: usize) {
        let saved = self.in_loop;
        self.in_loop = true;
        self.block(n);
        if self.rng.chance(25) {
            let c = self.bool_expr(1);
            self.line(&format!("if {c} then break end"));
        }
        self.in_loop = saved;
    }

    fn stat(&mut self) {
        if self.depth > 3 {
            self.print_value();
            return;
        }
        self.depth += 1;
        match self.rng.below(30) {
            0 | 1 => {
                let v = self.fresh("v");
                let e = self.int_expr(3);
                self.line(&format!("local {v} = {e}"));
                self.push_int(&v, true);
            }
            2 => match (self.mutable_var(), self.mutable_var()) {
                (Some(a), Some(b)) if a != b && self.rng.chance(40) => {
                    self.line(&format!("{a}, {b} = {b}, {a}"));
                    self.line(&format!("print({a}, {b})"));
                }
                (Some(a), _) => {
                    let e = self.int_expr(2);
                    self.line(&format!("{a} = {e}"));
                }
                _ => self.print_value(),
            },
            3 => {
                let c = self.bool_expr(2);
                self.open(&format!("if {c} then"));
                self.block(2);
                if self.rng.chance(60) {
                    let c2 = self.bool_expr(1);
                    self.close(&format!("elseif {c2} then"));
                    self.indent += 1;
                    self.block(1);
                }
                self.close("else");
                self.indent += 1;
                self.block(1);
                self.close("end");
            }
            4 => self.numeric_for(),
            5 => {
                let w = self.fresh("w");
                self.line(&format!("local {w} = 0"));
                let limit = self.rng.below(5);
                self.open(&format!("while {w} < {limit} do"));
                self.line(&format!("{w} = {w} + 1"));
                self.line(&format!("if {w} % 2 == 0 then goto continue_{w} end"));
                self.push_int(&w, false);
                self.loop_body(1);
                self.ints.pop();
                self.line(&format!("::continue_{w}::"));
                self.close("end");
            }
            6 => {
                // The `until` condition sees the body's locals.
                let r = self.fresh("r");
                let z = self.fresh("z");
                let limit = self.rng.range(1, 5);
                self.line(&format!("local {r} = 0"));
                self.open("repeat");
                self.line(&format!("local {z} = {r} * 2"));
                self.line(&format!("{r} = {r} + 1"));
                self.push_int(&r, false);
                self.push_int(&z, false);
                self.loop_body(1);
                self.ints.truncate(self.ints.len() - 2);
                let c = self.bool_expr(0);
                self.close(&format!("until {z} >= {} or ({c})", limit * 2));
                self.line(&format!("print('repeat', {r})"));
            }
            7 => self.table_ops(),
            8 => self.generic_for(),
            9 => self.closures(),
            10 => self.arith_metatable(),
            11 => self.index_metatables(),
            12 => self.close_variables(),
            13 => self.coroutines(),
            14 | 15 => self.errors(),
            16 => {
                let s = self.fresh("s");
                let e = self.str_expr(2);
                self.line(&format!("local {s} = {e}"));
                self.line(&format!(
                    "print(#{s}, {s}:upper(), {s}:sub(2, 4), {s}:find('a', 1, true), ({s}:gsub('%d', '#')), {s}:byte(1), {s}:rep(2, ','))"
                ));
                self.strs.push(s);
            }
            17 => {
                let f = self.fresh("fib");
                self.line(&format!(
                    "local function {f}(n) if n < 2 then return n end return {f}(n - 1) + {f}(n - 2) end"
                ));
                let arg = self.rng.below(12);
                self.line(&format!("print({f}({arg}))"));
            }
            18 => self.int_edges(),
            19 => self.varargs(),
            20 => {
                // A backward goto loop.
                let n = self.fresh("g");
                let limit = self.rng.range(1, 4);
                self.open("do");
                self.line(&format!("local {n} = 0"));
                self.line(&format!("::top_{n}::"));
                self.line(&format!("{n} = {n} + 1"));
                self.push_int(&n, false);
                self.block(1);
                self.ints.pop();
                self.line(&format!("if {n} < {limit} then goto top_{n} end"));
                self.line(&format!("print('goto', {n})"));
                self.close("end");
            }
            21 => self.coercions(),
            24 => self.stdlib_mix(),
            25 => self.literal_edges(),
            26 => self.function_def(),
            27 => self.objects(),
            22 if self.in_loop => {
                let c = self.bool_expr(1);
                self.line(&format!("if {c} then break end"));
            }
            23 => {
                let t = self.fresh("t");
                let n = self.rng.range(0, 8);
                self.line(&format!("local {t} = {{}}"));
                let k = self.int_leaf();
                self.line(&format!(
                    "for j = 1, {n} do {t}[j] = (j * 37 + {k}) % 11 end"
                ));
                self.line(&format!("table.sort({t}, function(a, b) return a > b end)"));
                self.line(&format!("print(table.concat({t}, ' '))"));
            }
            _ => self.print_value(),
        }
        self.depth -= 1;
    }

    fn numeric_for(&mut self) {
        let i = self.fresh("i");
        let kind = self.rng.below(6);
        let header = match kind {
            0 => format!(
                "for {i} = {}, {}, {} do",
                self.rng.range(-3, 3),
                self.rng.range(-3, 6),
                self.rng.pick(&["1", "2", "-1", "3"])
            ),
            1 => format!(
                "for {i} = 1, 2, {} do",
                self.rng.pick(&["0.5", "0.25", "1.5"])
            ),
            2 => format!(
                "for {i} = math.maxinteger - {}, math.maxinteger do",
                self.rng.range(0, 3)
            ),
            3 => format!("for {i} = math.mininteger + 2, math.mininteger, -1 do"),
            4 => format!("for {i} = 3.5, 1, -1 do"),
            _ => format!("for {i} = 1, {} do", self.rng.range(0, 5)),
        };
        let is_float = kind == 1 || kind == 4;
        self.open(&header);
        if is_float {
            self.line(&format!("print('f', {i}, math.type({i}))"));
            self.loop_body(1);
        } else {
            self.push_int(&i, false);
            self.line(&format!("print('i', {i})"));
            self.loop_body(2);
            self.ints.pop();
        }
        self.close("end");
    }

    fn table_ops(&mut self) {
        let t = self.fresh("t");
        let items: Vec<String> = (0..self.rng.below(5) + 1)
            .map(|_| self.int_expr(1))
            .collect();
        self.line(&format!("local {t} = {{{}}}", items.join(", ")));
        if self.rng.chance(50) {
            let e = self.int_expr(1);
            self.line(&format!("table.insert({t}, 1, {e})"));
            self.line(&format!("table.insert({t}, {e})"));
            self.line(&format!(
                "print(table.remove({t}), table.remove({t}, 1), #{t})"
            ));
        }
        let (k, v) = (self.fresh("k"), self.fresh("x"));
        self.open(&format!("for {k}, {v} in ipairs({t}) do"));
        self.push_int(&k, false);
        self.push_int(&v, false);
        self.line(&format!("print({k}, {v})"));
        self.loop_body(1);
        self.ints.truncate(self.ints.len() - 2);
        self.close("end");
        self.line(&format!(
            "print(#{t}, {t}[1], select('#', table.unpack({t})), table.concat({t}, ','))"
        ));
    }

    fn generic_for(&mut self) {
        match self.rng.below(3) {
            0 => {
                // A closure iterator.
                let range = self.fresh("range");
                let n = self.rng.range(0, 5);
                self.line(&format!(
                    "local function {range}(n, step) local i = 0 return function() i = i + step if i <= n then return i, i * i end end end"
                ));
                let (a, b) = (self.fresh("a"), self.fresh("b"));
                let step = self.rng.range(1, 2);
                self.open(&format!("for {a}, {b} in {range}({n}, {step}) do"));
                self.push_int(&a, false);
                self.push_int(&b, false);
                self.line(&format!("print({a}, {b})"));
                self.loop_body(1);
                self.ints.truncate(self.ints.len() - 2);
                self.close("end");
            }
            1 => {
                // Keys from `pairs`, sorted, so that the order is defined.
                let t = self.fresh("t");
                let ks = self.fresh("keys");
                let (i, z) = (self.int_expr(1), self.str_expr(0));
                self.line(&format!(
                    "local {t} = {{a = 1, b = 2, [3] = 'three', [10] = {i}, zz = {z}}}"
                ));
                self.line(&format!("local {ks} = {{}}"));
                self.line(&format!(
                    "for k in pairs({t}) do {ks}[#{ks} + 1] = tostring(k) end"
                ));
                self.line(&format!("table.sort({ks})"));
                self.line(&format!("print(table.concat({ks}, ' '), {t}[10], {t}.zz)"));
            }
            _ => {
                // A stateless iterator with an explicit control value.
                let step = self.fresh("step");
                let n = self.rng.range(0, 4);
                self.line(&format!(
                    "local function {step}(lim, c) if c < lim then return c + 1, -c end end"
                ));
                self.open(&format!("for c, m in {step}, {n}, 0 do"));
                self.line("print(c, m)");
                self.close("end");
            }
        }
    }

    fn closures(&mut self) {
        match self.rng.below(3) {
            0 => {
                let mk = self.fresh("mk");
                let f = self.fresh("f");
                let step = self.int_expr(1);
                self.line(&format!(
                    "local function {mk}(n) local c = n return function(d) c = c + d return c end end"
                ));
                self.line(&format!("local {f} = {mk}({step})"));
                self.line(&format!("print({f}(1), {f}(2), {mk}(0)(5))"));
            }
            1 => {
                // A fresh upvalue per iteration.
                let fs = self.fresh("fs");
                let k = self.int_leaf();
                self.line(&format!("local {fs} = {{}}"));
                self.line(&format!(
                    "for i = 1, 3 do local j = i * 2 {fs}[i] = function() j = j + 1 return i * ({k}) + j end end"
                ));
                self.line(&format!(
                    "print({fs}[1](), {fs}[1](), {fs}[3](), {fs}[2]())"
                ));
            }
            _ => {
                // Two closures sharing one upvalue, which outlives its block.
                let (get, set) = (self.fresh("get"), self.fresh("set"));
                self.line(&format!("local {get}, {set}"));
                self.open("do");
                let e = self.int_expr(2);
                self.line(&format!("local shared = {e}"));
                self.line(&format!("{get} = function() return shared end"));
                self.line(&format!("{set} = function(v) shared = v end"));
                self.close("end");
                let e2 = self.int_expr(1);
                self.line(&format!("print({get}()); {set}({e2}); print({get}())"));
            }
        }
    }

    fn arith_metatable(&mut self) {
        let mt = self.fresh("mt");
        let (a, b) = (self.fresh("a"), self.fresh("b"));
        self.line(&format!(
            "local {mt} = {{__add = function(x, y) return (type(x) == 'table' and x.v or x) + (type(y) == 'table' and y.v or y) end,"
        ));
        self.line("  __eq = function(x, y) return x.v == y.v end,");
        self.line("  __lt = function(x, y) return x.v < y.v end,");
        self.line("  __le = function(x, y) return x.v <= y.v end,");
        self.line("  __unm = function(x) return -x.v end,");
        self.line("  __len = function(x) return x.v % 100 end,");
        self.line("  __call = function(self, z, ...) return self.v * 2 + z, select('#', ...) end,");
        self.line("  __concat = function(x, y) return 'C' .. tostring(type(x) == 'table' and x.v or x) .. tostring(type(y) == 'table' and y.v or y) end,");
        self.line("  __index = function(t, k) return k .. '!' end}");
        let e1 = self.int_expr(2);
        let e2 = self.int_expr(2);
        self.line(&format!("local {a} = setmetatable({{v = {e1}}}, {mt})"));
        self.line(&format!("local {b} = setmetatable({{v = {e2}}}, {mt})"));
        self.line(&format!(
            "print({a} + {b}, {a} + 1, 2 + {b}, {a} == {b}, {a} ~= {b}, {a} < {b}, {a} <= {b}, {a} > {b}, -{a}, #{b})"
        ));
        self.line(&format!(
            "print({a}(3), {a}(1, nil, nil), {a} .. {b}, {a} .. 'z', 1 .. {b}, {a}.foo, {a}[1], rawequal({a}, {b}), rawlen({b}))"
        ));
    }

    fn index_metatables(&mut self) {
        let (base, obj, log) = (self.fresh("base"), self.fresh("obj"), self.fresh("log"));
        let e = self.int_expr(2);
        self.line(&format!("local {base} = {{x = {e}, y = 'why'}}"));
        self.line(&format!("local {log} = {{}}"));
        self.line(&format!(
            "local {obj} = setmetatable({{}}, {{__index = setmetatable({{z = 5}}, {{__index = {base}}}),"
        ));
        self.line(&format!(
            "  __newindex = function(t, k, v) {log}[#{log} + 1] = tostring(k) .. '=' .. tostring(v) rawset(t, k, v) end}})"
        ));
        let e2 = self.int_expr(1);
        self.line(&format!(
            "{obj}.a = {e2}; {obj}.a = {obj}.a + 1; {obj}[2] = 'two'; {obj}.x = 0"
        ));
        self.line(&format!(
            "print({obj}.x, {obj}.y, {obj}.z, {obj}.a, rawget({obj}, 'y'), table.concat({log}, ';'))"
        ));
        self.line("print(getmetatable('').__index == string, ('%d'):rep(2))");
    }

    fn close_variables(&mut self) {
        let mk = self.fresh("closer");
        self.line(&format!(
            "local function {mk}(name) return setmetatable({{}}, {{__close = function(o, e) print('close', name, type(e), type(e) == 'table' and e.code or e) end}}) end"
        ));
        let err = self.error_value();
        let fails = self.rng.chance(50);
        self.open("print(pcall(function()");
        self.line(&format!("local a <close> = {mk}('a')"));
        self.line("local k <const> = 7");
        self.open("do");
        self.line(&format!("local b <close> = {mk}('b')"));
        self.line("local c <close> = nil");
        self.line("print('in block', k)");
        self.close("end");
        self.line(&format!("local d <close> = {mk}('d')"));
        if fails {
            self.line(&format!("error({err})"));
        }
        self.line("return 'finished'");
        self.close("end) == true)");
    }

    /// A non-string error value (printed with its type, never its address).
    fn error_value(&mut self) -> String {
        match self.rng.below(7) {
            0 => format!("{}", self.rng.range(-3, 50)),
            1 => "2.5".into(),
            2 => "true".into(),
            3 => "false".into(),
            4 => format!("{{code = {}}}", self.rng.range(0, 9)),
            5 => format!("'msg{}'", self.rng.below(9)),
            _ => format!(
                "setmetatable({{}}, {{__tostring = function() return 'E{}' end}})",
                self.rng.below(9)
            ),
        }
    }

    fn errors(&mut self) {
        let show = "function(ok, e, ...) return ok, type(e), type(e) == 'table' and (e.code or tostring(e)) or e, ... end";
        let sh = self.fresh("show");
        self.line(&format!("local {sh} = {show}"));
        match self.rng.below(8) {
            0 => {
                let e = self.int_expr(2);
                let msg = self.str_expr(1);
                self.line(&format!(
                    "print(pcall(function(q) if q % 2 == 0 then error({msg}, 0) end return q * 3 end, {e}))"
                ));
            }
            1 => {
                let v = self.error_value();
                self.line(&format!("print({sh}(pcall(error, {v})))"));
            }
            2 => {
                let v = self.error_value();
                self.line(&format!(
                    "print({sh}(xpcall(function(a) error({v}) end, function(m) return {{code = type(m)}} end, 1)))"
                ));
                let (x, y) = (self.int_leaf(), self.int_leaf());
                self.line(&format!(
                    "print(xpcall(function(a, b) return a + b, 'ok' end, function(m) return 'H' end, {x}, {y}))"
                ));
            }
            3 => {
                // Runtime errors raised by the VM, with their messages.
                let which = self.rng.pick(&[
                    "local x = nil; return x + 1",
                    "local t = {}; return t.f.g",
                    "return ({}).nope()",
                    "return 1 // 0",
                    "return 5 % 0",
                    "return 2.5 | 1",
                    "return 'abc' + 1",
                    "return {} < {}",
                    "return #5",
                    "local s = 'x'; return s .. {}",
                    "return math.tointeger(2^53) << 1, (2^63) | 0",
                    "return string.rep('x', -1), ('x'):bad()",
                    "error('lvl1')",
                    "error('lvl2', 2)",
                    "error()",
                    "local u; local function f() return u + 1 end return f()",
                    "local t = {x = 1}; return t.x.y.z",
                    "local t = {}; return t.x .. 'a'",
                    "return 1 < nil",
                    "return {} <= 1",
                    "return ('a') < 1",
                    "for i = 1, 10, 0 do end",
                    "for i = 'a', 2 do end",
                    "for i = 1, {} do end",
                    "return table.concat({1, {}, 3})",
                    "return table.insert(nil, 1)",
                    "return select(-5, 1)",
                    "return string.char(256)",
                    "return setmetatable({}, {__metatable = 1}), setmetatable(setmetatable({}, {__metatable = 1}), {})",
                    "local function lvl() error('deep', 2) end lvl()",
                    "return math.floor('x')",
                    "return ('x'):rep(2^63)",
                    "return tostring()",
                    "return ipairs()",
                    "return coroutine.resume(coroutine.running())",
                    "return coroutine.yield(1)",
                    "local a <close> = 42",
                    "return string.format('%d', '3.5')",
                    "return utf8.char(-1)",
                    "return math.maxinteger // 0",
                    "return -(math.mininteger) // -1 % 0",
                ]);
                self.line(&format!("print(pcall(function() {which} end))"));
            }
            4 => {
                // Nested pcall, error in a handler, error rethrown with its value.
                let v = self.error_value();
                self.line(&format!(
                    "print({sh}(pcall(function() local ok, e = pcall(error, {v}) error(e, 0) end)))"
                ));
                self.line(
                    "print(xpcall(function() error('inner') end, function(m) error('again') end) == false)",
                );
            }
            5 => {
                // Errors from metamethods and across coroutines.
                self.line(&format!(
                    "print({sh}(pcall(function() return setmetatable({{}}, {{__index = function(t, k) error({{code = k}}) end}}).key end)))"
                ));
                let v = self.error_value();
                self.line(&format!(
                    "print({sh}(coroutine.resume(coroutine.create(function() coroutine.yield(1) end))))"
                ));
                self.line(&format!(
                    "print({sh}(pcall(coroutine.wrap(function() error({v}) end))))"
                ));
            }
            6 => {
                // Error values keep their identity through pcall.
                let t = self.fresh("errobj");
                let code = self.rng.below(9);
                self.line(&format!("local {t} = {{code = {code}}}"));
                self.line(&format!(
                    "print(select(2, pcall(error, {t})) == {t}, select('#', pcall(error)), (select(2, pcall(error))))"
                ));
            }
            _ => {
                let e = self.int_expr(1);
                self.line(&format!(
                    "print(pcall(string.format, '%d', {e} + 0.5), pcall(string.format, '%d', 3.0))"
                ));
            }
        }
    }

    fn coroutines(&mut self) {
        match self.rng.below(3) {
            0 => {
                let g = self.fresh("gen");
                let n = self.rng.below(5);
                let e = self.int_expr(1);
                self.line(&format!(
                    "local {g} = coroutine.wrap(function(a) for j = 1, {n} do a = coroutine.yield(a + j) or a end return 'done' end)"
                ));
                self.line(&format!("for j = 1, {} do print({g}({e})) end", n + 1));
            }
            1 => {
                let co = self.fresh("co");
                let fails = self.rng.chance(40);
                let v = self.error_value();
                self.line(&format!(
                    "local {co} = coroutine.create(function(a, b) local c = coroutine.yield(a + b, coroutine.isyieldable()) local ok, d = pcall(coroutine.yield, c * 2) {} return d, 'end' end)",
                    if fails { format!("error({v})") } else { String::new() }
                ));
                let (x, y) = (self.int_leaf(), self.int_leaf());
                self.line(&format!("print(coroutine.resume({co}, {x}, {y}))"));
                self.line(&format!(
                    "print(coroutine.status({co}), coroutine.resume({co}, 4))"
                ));
                self.line(&format!(
                    "print(select('#', coroutine.resume({co}, 'x')), coroutine.status({co}))"
                ));
                self.line(&format!("print(coroutine.resume({co}))"));
            }
            _ => {
                // A producer/consumer pipeline.
                let p = self.fresh("prod");
                let n = self.rng.range(1, 5);
                self.line(&format!(
                    "local {p} = coroutine.wrap(function() for i = 1, {n} do coroutine.yield(i * i) end return nil end)"
                ));
                self.line(&format!(
                    "local filt = coroutine.wrap(function() while true do local v = {p}() if v == nil then return nil end if v % 2 == 1 then coroutine.yield(v) end end end)"
                ));
                self.line("local acc = {} for v in filt do acc[#acc + 1] = v end print(table.concat(acc, ','), coroutine.running() ~= nil, coroutine.isyieldable())");
            }
        }
    }

    fn int_edges(&mut self) {
        let e = self.int_expr(2);
        self.line(&format!(
            "print(math.type({e}), {e} // 2.0, math.mininteger // -1, math.mininteger % -1, math.maxinteger + 1 == math.mininteger)"
        ));
        self.line(
            "print(math.maxinteger + 0.0 == math.maxinteger, math.maxinteger < math.maxinteger + 0.0, 2^53 == 2^53 + 1, math.tointeger(3.0), math.tointeger(3.5), 1 == 1.0, -0.0 == 0)",
        );
        self.line(
            "print(7 // -2, -7 // 2, 7 % -3, -7 % 3, 7.5 // 2, -7.5 % 2, 1 << 63, 1 << 64, -1 >> 1, 3.0 | 0, 5 // 0.0, -5 // 0.0, math.huge, -math.huge)",
        );
    }

    fn varargs(&mut self) {
        let f = self.fresh("va");
        self.line(&format!(
            "local function {f}(a, ...) local t = table.pack(...) return select('#', ...), t.n, a, (select(-1, a, ...)), ... end"
        ));
        let args: Vec<String> = (0..self.rng.below(4)).map(|_| self.int_leaf()).collect();
        let with_nil = if self.rng.chance(30) { ", nil" } else { "" };
        self.line(&format!(
            "print({f}({}{with_nil}))",
            if args.is_empty() {
                "0".into()
            } else {
                args.join(", ")
            }
        ));
        self.line(&format!("print(({f}(1, 2, 3)), select(2, {f}(9)))"));
    }

    /// Formatting, patterns, float keys and `math.fmod`: outputs that must match PUC's.
    fn stdlib_mix(&mut self) {
        let (e, f) = (self.int_expr(1), self.float_expr(1));
        match self.rng.below(4) {
            0 => self.line(&format!(
                "print(string.format('%g|%.3f|%5.1s|%-4d|%+d|%q|%q', {f}, {f}, 'abcdef', {e} % 100, {e}, 'a\\n\\0\"', {e}))"
            )),
            1 => {
                let s = self.str_expr(1);
                self.line(&format!(
                    "print(({s}):gsub('(%w)(%w)', '%2%1'), ({s}):match('^(%a*)(%d*)'), select('#', ({s}):find('(x)')))"
                ));
                self.line(&format!(
                    "do local acc = {{}} for w in ('a1 b22 c333 ' .. {s}):gmatch('%a(%d+)') do acc[#acc + 1] = w end print(table.concat(acc, '/')) end"
                ));
            }
            2 => self.line(&format!(
                "do local t = {{}} t[1.0] = 'one' t[2^53] = 'big' t[{e}] = 'e' print(t[1], t[math.tointeger(2^53)], t[{e} + 0.0], #t >= 0, next({{}})) end"
            )),
            _ => self.line(&format!(
                "print(math.fmod(7, -3), math.fmod(-7, 3), math.fmod({e}, 5), math.fmod({f}, 2), math.abs(math.mininteger), math.floor({f}), math.ceil({f}), math.floor(-0.0))"
            )),
        }
    }

    /// A local function whose body is a generated block over its parameters, called a few
    /// times (recursively bounded by `depth`), with several results.
    fn function_def(&mut self) {
        let f = self.fresh("fn");
        let (a, b) = (self.fresh("p"), self.fresh("q"));
        self.open(&format!("local function {f}({a}, {b}, depth)"));
        let saved_loop = self.in_loop;
        self.in_loop = false;
        let saved_ints = std::mem::take(&mut self.ints);
        self.push_int(&a, true);
        self.push_int(&b, true);
        self.block(2);
        self.line(&format!(
            "if depth > 0 then return {f}({b}, {a} + 1, depth - 1) end"
        ));
        let r = self.int_expr(2);
        self.line(&format!("return {r}, {a} - {b}"));
        self.ints = saved_ints;
        self.in_loop = saved_loop;
        self.close("end");
        let (x, y, d) = (self.int_leaf(), self.int_leaf(), self.rng.range(0, 3));
        self.line(&format!("print({f}({x}, {y}, {d}))"));
        self.line(&format!("print(({f}(1, 2, 0)), select('#', {f}(0, 0, 1)))"));
    }

    /// Classes with `__index` inheritance, methods and method chaining.
    fn objects(&mut self) {
        let (base, derived) = (self.fresh("Base"), self.fresh("Derived"));
        self.line(&format!("local {base} = {{}} {base}.__index = {base}"));
        self.line(&format!(
            "function {base}.new(v) return setmetatable({{v = v, log = {{}}}}, {base}) end"
        ));
        self.line(&format!(
            "function {base}:add(n) self.v = self.v + n self.log[#self.log + 1] = n return self end"
        ));
        self.line(&format!(
            "function {base}:get() return self.v, #self.log end"
        ));
        self.line(&format!(
            "local {derived} = setmetatable({{}}, {{__index = {base}}}) {derived}.__index = {derived}"
        ));
        self.line(&format!(
            "function {derived}.new(v) local o = {base}.new(v * 2) return setmetatable(o, {derived}) end"
        ));
        self.line(&format!(
            "function {derived}:get() local v, n = {base}.get(self) return 'D' .. v, n end"
        ));
        let (x, y) = (self.int_expr(1), self.int_leaf());
        self.line(&format!(
            "print({base}.new({x}):add({y}):add(1):get()) print({derived}.new({y}):add(2):get()) print(getmetatable({derived}.new(1)) == {derived}, rawget({derived}, 'add') == nil)"
        ));
    }

    /// Numeric and string literal forms, and library corners around them.
    fn literal_edges(&mut self) {
        let e = self.int_expr(1);
        match self.rng.below(4) {
            0 => self.line(
                "print(9223372036854775807, 9223372036854775808, -9223372036854775808, 0xffffffffffffffffff, 1e309, -1e309, .5, 3., 0x.8p1, 0xA.8p0, 0x10P-2, 1E2, 2^-1074)",
            ),
            1 => self.line(
                "print('\\x41\\u{48}\\u{20AC}\\z\n      \\065\\10x', [==[a]]b]=]c]==], #'\\0\\0', ('a\\0b'):len(), 'a\\0b' < 'a\\0c', utf8.char(72, 228, 8364), utf8.len('h\\u{E4}ll\\u{20AC}'), utf8.codepoint('\\u{20AC}'))",
            ),
            2 => self.line(&format!(
                "print(math.max(1, 1.0), math.min(1.0, 1), math.max({e}, 2.5), 1 < 1.5, math.maxinteger < 2^63, math.mininteger <= -2^63, -2^63 == math.mininteger, -5 % math.huge, 5 % -math.huge, 5.0 // 0, -5 // math.huge, math.ult(-1, 1))"
            )),
            _ => self.line(&format!(
                "print(table.unpack({{1, 2, 3}}, 2)) print(table.unpack({{}}, 1, 3)) print(table.concat(table.move({{1, 2, 3, 4}}, 2, 4, 1), ',')) print(string.byte('abc', -1, 10), ('abc'):sub(0), ('abc'):sub({e} % 5), string.format('%5.3s|%-8.3f|%08.3f|%e|%.0e|%#x|%o|%c|%i', 'abcdef', 1/3, -1/3, 12345.678, 0.5, 255, 8, 65, {e}))"
            )),
        }
    }

    fn coercions(&mut self) {
        let e = self.int_expr(1);
        let f = self.float_expr(1);
        self.line(&format!(
            "print(\"10\" + {e}, \"3\" * \"4\", 10 .. 20, {f} .. '', -0.0 .. '', 1e15 .. '', 2^63 .. '', \"0x10\" + 0, \"1e1\" * 1, 10 // \"3\")"
        ));
        self.line(
            "print(tonumber('  12  '), tonumber('0x1p4'), tonumber('z', 36), tonumber('10', 2), tonumber('1e'), tonumber(''), tostring(1/0), 2^31 | 0, '10' < '9', 3 == '3')",
        );
    }
}

/// The program for `seed`.
pub fn program(seed: u64) -> String {
    let mut g = Gen {
        rng: Rng::new(seed),
        out: String::new(),
        indent: 0,
        ints: Vec::new(),
        strs: Vec::new(),
        next_id: 0,
        depth: 0,
        in_loop: false,
    };
    g.line(&format!("-- generated program, seed {seed}"));
    let n = 6 + g.rng.below(10) as usize;
    g.block(n);
    g.out
}
