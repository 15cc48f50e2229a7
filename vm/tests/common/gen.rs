//! A deterministic generator of valid, terminating Lua 5.4 programs whose output does not
//! depend on the implementation (no addresses, no `pairs` order, no float formatting
//! corner cases beyond `%.14g`). Shared by `tests/generator.rs` and `examples/genlua.rs`.

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
}

struct Gen {
    rng: Rng,
    out: String,
    indent: usize,
    /// Integer locals in scope.
    ints: Vec<String>,
    next_id: usize,
    depth: usize,
}

impl Gen {
    fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id)
    }

    fn int_var(&mut self) -> String {
        if self.ints.is_empty() {
            return "1".into();
        }
        let i = self.rng.below(self.ints.len() as u64) as usize;
        self.ints[i].clone()
    }

    /// An integer expression (small operands; wraps identically everywhere).
    fn int_expr(&mut self, d: usize) -> String {
        if d == 0 || self.rng.chance(30) {
            return if self.rng.chance(50) {
                self.int_var()
            } else {
                format!("{}", self.rng.below(20) as i64 - 5)
            };
        }
        let a = self.int_expr(d - 1);
        let b = self.int_expr(d - 1);
        match self.rng.below(9) {
            0 => format!("({a} + {b})"),
            1 => format!("({a} - {b})"),
            2 => format!("({a} * {b})"),
            3 => format!("({a} // {})", self.rng.below(7) + 1),
            4 => format!("({a} % {})", self.rng.below(7) + 1),
            5 => format!("(({a}) & 0xff ~ ({b}) | 3)"),
            6 => format!("math.max({a}, {b})"),
            7 => format!("(#tostring({a}))"),
            _ => format!("(-{a})"),
        }
    }

    fn float_expr(&mut self, d: usize) -> String {
        let a = self.int_expr(d);
        match self.rng.below(4) {
            0 => format!("({a} / {})", self.rng.below(8) + 1),
            1 => format!("({a} * 0.5)"),
            2 => format!("(({a}) + 0.25)"),
            _ => format!("math.floor({a} / 3)"),
        }
    }

    fn str_expr(&mut self, d: usize) -> String {
        match self.rng.below(5) {
            0 => format!("(\"s\" .. {})", self.int_expr(d)),
            1 => format!("string.rep(\"ab\", {} % 4)", self.int_expr(d)),
            2 => format!("tostring({})", self.int_expr(d)),
            3 => format!("(\"x\" .. {} .. \"y\")", self.int_expr(d)),
            _ => format!("string.format(\"%d:%s\", {}, \"q\")", self.int_expr(d)),
        }
    }

    fn bool_expr(&mut self, d: usize) -> String {
        let op = self.rng.pick(&["<", "<=", ">", ">=", "==", "~="]);
        match self.rng.below(4) {
            0 => format!("{} {op} {}", self.str_expr(d), self.str_expr(d)),
            1 => format!("{} {op} {}", self.float_expr(d), self.int_expr(d)),
            _ => format!("{} {op} {}", self.int_expr(d), self.int_expr(d)),
        }
    }

    fn print_value(&mut self) {
        let e = match self.rng.below(4) {
            0 => self.float_expr(2),
            1 => self.str_expr(2),
            2 => self.bool_expr(2),
            _ => self.int_expr(3),
        };
        self.line(&format!("print({e})"));
    }

    fn block(&mut self, n: usize) {
        let saved = self.ints.len();
        for _ in 0..n {
            self.stat();
        }
        self.ints.truncate(saved);
    }

    fn stat(&mut self) {
        if self.depth > 3 {
            self.print_value();
            return;
        }
        self.depth += 1;
        match self.rng.below(16) {
            0 | 1 => {
                let v = self.fresh("v");
                let e = self.int_expr(3);
                self.line(&format!("local {v} = {e}"));
                self.ints.push(v);
            }
            2 => {
                if let Some(v) = self.ints.last().cloned() {
                    let e = self.int_expr(2);
                    self.line(&format!("{v} = {e}"));
                } else {
                    self.print_value();
                }
            }
            3 => {
                let c = self.bool_expr(2);
                self.line(&format!("if {c} then"));
                self.indent += 1;
                self.block(2);
                self.indent -= 1;
                let c2 = self.bool_expr(1);
                self.line(&format!("elseif {c2} then"));
                self.indent += 1;
                self.block(1);
                self.indent -= 1;
                self.line("else");
                self.indent += 1;
                self.block(1);
                self.indent -= 1;
                self.line("end");
            }
            4 => {
                let i = self.fresh("i");
                let n = self.rng.below(6);
                self.line(&format!("for {i} = 1, {n} do"));
                self.indent += 1;
                self.ints.push(i.clone());
                self.block(2);
                if self.rng.chance(30) {
                    let c = self.bool_expr(1);
                    self.line(&format!("if {c} then break end"));
                }
                self.ints.pop();
                self.indent -= 1;
                self.line("end");
            }
            5 => {
                let w = self.fresh("w");
                self.line(&format!("local {w} = 0"));
                self.line(&format!("while {w} < {} do", self.rng.below(5)));
                self.indent += 1;
                self.line(&format!("{w} = {w} + 1"));
                self.line(&format!("if {w} % 2 == 0 then goto continue_{w} end"));
                self.ints.push(w.clone());
                self.block(1);
                self.ints.pop();
                self.line(&format!("::continue_{w}::"));
                self.indent -= 1;
                self.line("end");
            }
            6 => {
                let t = self.fresh("t");
                let items: Vec<String> = (0..self.rng.below(5) + 1).map(|_| self.int_expr(1)).collect();
                self.line(&format!("local {t} = {{{}}}", items.join(", ")));
                let (k, v) = (self.fresh("k"), self.fresh("x"));
                self.line(&format!("for {k}, {v} in ipairs({t}) do"));
                self.indent += 1;
                self.ints.push(k);
                self.ints.push(v);
                self.block(1);
                self.ints.truncate(self.ints.len() - 2);
                self.indent -= 1;
                self.line("end");
                self.line(&format!("print(#{t}, {t}[1], select('#', table.unpack({t})))"));
            }
            7 => {
                // closures and upvalues
                let mk = self.fresh("mk");
                let f = self.fresh("f");
                let step = self.int_expr(1);
                self.line(&format!(
                    "local function {mk}(n) local c = n return function(d) c = c + d return c end end"
                ));
                self.line(&format!("local {f} = {mk}({step})"));
                self.line(&format!("print({f}(1), {f}(2), {mk}(0)(5))"));
            }
            8 => {
                // metatables
                let mt = self.fresh("mt");
                let a = self.fresh("a");
                let b = self.fresh("b");
                self.line(&format!(
                    "local {mt} = {{__add = function(x, y) return (type(x) == 'table' and x.v or x) + (type(y) == 'table' and y.v or y) end,"
                ));
                self.line("  __eq = function(x, y) return x.v == y.v end,");
                self.line("  __lt = function(x, y) return x.v < y.v end,");
                self.line("  __le = function(x, y) return x.v <= y.v end,");
                self.line("  __call = function(self, z) return self.v * 2 + z end,");
                self.line("  __concat = function(x, y) return 'C' .. tostring(type(x) == 'table' and x.v or x) .. tostring(type(y) == 'table' and y.v or y) end,");
                self.line("  __index = function(t, k) return k .. '!' end}");
                let e1 = self.int_expr(2);
                let e2 = self.int_expr(2);
                self.line(&format!("local {a} = setmetatable({{v = {e1}}}, {mt})"));
                self.line(&format!("local {b} = setmetatable({{v = {e2}}}, {mt})"));
                self.line(&format!(
                    "print({a} + {b}, {a} + 1, {a} == {b}, {a} < {b}, {a} <= {b}, {a}(3), {a} .. {b}, {a} .. 'z', {a}.foo)"
                ));
            }
            9 => {
                // coroutines
                let g = self.fresh("gen");
                let n = self.rng.below(5);
                let e = self.int_expr(1);
                self.line(&format!(
                    "local {g} = coroutine.wrap(function(a) for j = 1, {n} do a = coroutine.yield(a + j) or a end return 'done' end)"
                ));
                self.line(&format!("for j = 1, {} do print({g}({e})) end", n + 1));
            }
            10 => {
                // pcall/error
                let e = self.int_expr(2);
                let msg = self.str_expr(1);
                self.line(&format!(
                    "print(pcall(function(q) if q % 2 == 0 then error({msg}, 0) end return q * 3 end, {e}))"
                ));
                self.line("print(select(2, pcall(error, {code = 7})).code)");
                self.line("print(pcall(function() local z = nil; return z.field end) == false)");
            }
            11 => {
                let s = self.fresh("s");
                let e = self.str_expr(2);
                self.line(&format!("local {s} = {e}"));
                self.line(&format!(
                    "print(#{s}, {s}:upper(), {s}:sub(2, 4), {s}:find('a', 1, true), ({s}:gsub('%d', '#')))"
                ));
            }
            12 => {
                let f = self.fresh("fib");
                self.line(&format!(
                    "local function {f}(n) if n < 2 then return n end return {f}(n - 1) + {f}(n - 2) end"
                ));
                self.line(&format!("print({f}({}))", self.rng.below(12)));
            }
            13 => {
                let t = self.fresh("t");
                self.line(&format!("local {t} = {{}}"));
                self.line(&format!(
                    "for j = 1, {} do {t}[#{t} + 1] = (j * 7) % 5 end",
                    self.rng.below(8)
                ));
                self.line(&format!("table.sort({t})"));
                self.line(&format!("print(table.concat({t}, ','))"));
            }
            14 => {
                let e = self.int_expr(3);
                self.line(&format!("print(math.type({e}), {} // 2.0)", self.int_expr(1)));
            }
            _ => self.print_value(),
        }
        self.depth -= 1;
    }
}

/// The program for `seed`.
pub fn program(seed: u64) -> String {
    let mut g = Gen {
        rng: Rng::new(seed),
        out: String::new(),
        indent: 0,
        ints: Vec::new(),
        next_id: 0,
        depth: 0,
    };
    g.line(&format!("-- generated program, seed {seed}"));
    let n = 6 + g.rng.below(10) as usize;
    g.block(n);
    g.out
}
