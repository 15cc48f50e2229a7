//! The math library (`lmathlib.c`), with Lua 5.4's integer/float distinctions and its
//! xoshiro256** pseudo-random generator.
//!
//! Unlike `lua5.4`, which seeds the generator from the clock and an address when the
//! library opens, every VM starts from the fixed seed [`DEFAULT_SEED`] (as if the script had
//! called `math.randomseed(DEFAULT_SEED)`), so runs are reproducible: game hosts rely on
//! that. `math.randomseed()` without arguments still asks for a time-based seed.

use std::cell::Cell;
use std::rc::Rc;

use crate::args::Args;
use crate::error::LuaResult;
use crate::function::{NativeClosure, NativeFn};
use crate::number;
use crate::state::Vm;
use crate::value::Value;

/// Seed of the generator of a new VM (`math.randomseed(DEFAULT_SEED)`).
pub const DEFAULT_SEED: i64 = 0x5e1e_0173;

/// Registers the `math` library.
pub fn open(vm: &mut Vm) {
    let funcs: &[(&str, NativeFn)] = &[
        ("abs", abs),
        ("acos", acos),
        ("asin", asin),
        ("atan", atan),
        ("ceil", ceil),
        ("cos", cos),
        ("deg", deg),
        ("exp", exp),
        ("floor", floor),
        ("fmod", fmod),
        ("log", log),
        ("max", max),
        ("min", min),
        ("modf", modf),
        ("rad", rad),
        ("sin", sin),
        ("sqrt", sqrt),
        ("tan", tan),
        ("tointeger", tointeger),
        ("type", type_),
        ("ult", ult),
    ];
    let t = vm.new_table();
    for &(name, f) in funcs {
        vm.set_field(t, name, Value::Native(f));
    }
    vm.set_field(t, "pi", Value::Float(std::f64::consts::PI));
    vm.set_field(t, "huge", Value::Float(f64::INFINITY));
    vm.set_field(t, "maxinteger", Value::Int(i64::MAX));
    vm.set_field(t, "mininteger", Value::Int(i64::MIN));

    // The generator state is shared by `random` and `randomseed`.
    let state = Rc::new(Cell::new(Xoshiro::seeded(DEFAULT_SEED as u64, 0)));
    let st = state.clone();
    let random = vm.heap.alloc(NativeClosure {
        func: Box::new(move |vm: &mut Vm, base, nargs| random(vm, base, nargs, &st)),
        name: "random",
        upvals: Vec::new(),
        direct: None,
    });
    let randomseed = vm.heap.alloc(NativeClosure {
        func: Box::new(move |vm: &mut Vm, base, nargs| randomseed(vm, base, nargs, &state)),
        name: "randomseed",
        upvals: Vec::new(),
        direct: None,
    });
    vm.set_field(t, "random", Value::NativeClosure(random));
    vm.set_field(t, "randomseed", Value::NativeClosure(randomseed));
    vm.set_global("math", Value::Table(t));
}

fn ret1(vm: &mut Vm, v: Value) -> LuaResult<usize> {
    vm.push(v);
    Ok(1)
}

/// A float result that becomes an integer when it has an exact integer value
/// (`pushnumint`).
fn num_int(f: f64) -> Value {
    match number::float_to_int_exact(f) {
        Some(i) => Value::Int(i),
        None => Value::Float(f),
    }
}

/// Is argument `i` an integer value (not a string; `lua_isinteger`)?
fn int_arg(args: &Args, vm: &Vm, i: usize) -> Option<i64> {
    match args.get(vm, i) {
        Value::Int(n) => Some(n),
        _ => None,
    }
}

fn float_fn(vm: &mut Vm, base: usize, nargs: usize, f: fn(f64) -> f64) -> LuaResult<usize> {
    let x = Args::new(base, nargs).check_float(vm, 1)?;
    ret1(vm, Value::Float(f(x)))
}

fn abs(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    if let Some(n) = int_arg(&args, vm, 1) {
        return ret1(vm, Value::Int(n.wrapping_abs()));
    }
    let x = args.check_float(vm, 1)?;
    ret1(vm, Value::Float(x.abs()))
}

fn sin(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    float_fn(vm, base, nargs, f64::sin)
}

fn cos(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    float_fn(vm, base, nargs, f64::cos)
}

fn tan(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    float_fn(vm, base, nargs, f64::tan)
}

fn asin(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    float_fn(vm, base, nargs, f64::asin)
}

fn acos(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    float_fn(vm, base, nargs, f64::acos)
}

fn exp(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    float_fn(vm, base, nargs, f64::exp)
}

fn sqrt(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    float_fn(vm, base, nargs, f64::sqrt)
}

fn deg(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    float_fn(vm, base, nargs, |x| x * (180.0 / std::f64::consts::PI))
}

fn rad(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    float_fn(vm, base, nargs, |x| x * (std::f64::consts::PI / 180.0))
}

fn atan(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let y = args.check_float(vm, 1)?;
    let x = args.opt_float(vm, 2, 1.0)?;
    ret1(vm, Value::Float(y.atan2(x)))
}

fn tointeger(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let v = args.get(vm, 1);
    match vm.to_integer(v) {
        Some(n) => ret1(vm, Value::Int(n)),
        None => {
            args.check_any(vm, 1)?;
            ret1(vm, Value::Nil)
        }
    }
}

fn floor(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    if let Some(n) = int_arg(&args, vm, 1) {
        return ret1(vm, Value::Int(n));
    }
    let x = args.check_float(vm, 1)?;
    ret1(vm, num_int(x.floor()))
}

fn ceil(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    if let Some(n) = int_arg(&args, vm, 1) {
        return ret1(vm, Value::Int(n));
    }
    let x = args.check_float(vm, 1)?;
    ret1(vm, num_int(x.ceil()))
}

fn fmod(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    if let (Some(a), Some(d)) = (int_arg(&args, vm, 1), int_arg(&args, vm, 2)) {
        if (d as u64).wrapping_add(1) <= 1 {
            // d is 0 or -1
            if d == 0 {
                return Err(vm.arg_error(2, "zero"));
            }
            return ret1(vm, Value::Int(0)); // avoids overflow of mininteger % -1
        }
        return ret1(vm, Value::Int(a % d));
    }
    let a = args.check_float(vm, 1)?;
    let b = args.check_float(vm, 2)?;
    ret1(vm, Value::Float(a % b))
}

fn modf(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    if let Some(n) = int_arg(&args, vm, 1) {
        vm.push(Value::Int(n));
        vm.push(Value::Float(0.0));
        return Ok(2);
    }
    let n = args.check_float(vm, 1)?;
    // Integer part, rounding toward zero.
    let ip = if n < 0.0 { n.ceil() } else { n.floor() };
    vm.push(num_int(ip));
    // Fractional part (the test is needed for infinities).
    vm.push(Value::Float(if n == ip { 0.0 } else { n - ip }));
    Ok(2)
}

fn ult(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let a = args.check_integer(vm, 1)?;
    let b = args.check_integer(vm, 2)?;
    ret1(vm, Value::Bool((a as u64) < (b as u64)))
}

fn log(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let x = args.check_float(vm, 1)?;
    let res = if args.is_none_or_nil(vm, 2) {
        x.ln()
    } else {
        let b = args.check_float(vm, 2)?;
        if b == 2.0 {
            x.log2()
        } else if b == 10.0 {
            x.log10()
        } else {
            x.ln() / b.ln()
        }
    };
    ret1(vm, Value::Float(res))
}

/// `math.min` (`lt` true) and `math.max`: compares with `<` like `lua_compare`.
fn min_max(vm: &mut Vm, base: usize, nargs: usize, want_min: bool) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    if nargs < 1 {
        return Err(vm.arg_error(1, "value expected"));
    }
    let mut best = args.get(vm, 1);
    for i in 2..=nargs {
        let v = args.get(vm, i);
        let better = if want_min {
            vm.less_than(v, best, false)?
        } else {
            vm.less_than(best, v, false)?
        };
        if better {
            best = v;
        }
    }
    ret1(vm, best)
}

fn min(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    min_max(vm, base, nargs, true)
}

fn max(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    min_max(vm, base, nargs, false)
}

fn type_(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let v = args.check_any(vm, 1)?;
    let r = match v {
        Value::Int(_) => vm.new_str(b"integer"),
        Value::Float(_) => vm.new_str(b"float"),
        _ => Value::Nil,
    };
    ret1(vm, r)
}

// ---- Pseudo-random numbers: xoshiro256** as in lmathlib.c -------------------------------

/// The state of a xoshiro256** generator.
#[derive(Clone, Copy, Debug)]
pub struct Xoshiro {
    s: [u64; 4],
}

impl Xoshiro {
    /// The state after `math.randomseed(n1, n2)`.
    pub fn seeded(n1: u64, n2: u64) -> Xoshiro {
        let mut g = Xoshiro {
            s: [n1, 0xff, n2, 0],
        };
        for _ in 0..16 {
            g.next_u64(); // discard initial values to "spread" the seed
        }
        g
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let s0 = s[0];
        let s1 = s[1];
        let s2 = s[2] ^ s0;
        let s3 = s[3] ^ s1;
        let res = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        s[0] = s0 ^ s3;
        s[1] = s1 ^ s2;
        s[2] = s2 ^ (s1 << 17);
        s[3] = s3.rotate_left(45);
        res
    }
}

/// A float in [0, 1) from the 53 high bits (`I2d`).
fn to_unit_float(rv: u64) -> f64 {
    (rv >> 11) as f64 * (0.5f64).powi(53)
}

/// Projects a random value into `[0, n]` (5.4.4's `project`).
fn project(mut ran: u64, n: u64, g: &mut Xoshiro) -> u64 {
    if n & n.wrapping_add(1) == 0 {
        return ran & n; // n + 1 is a power of two: no bias
    }
    // The smallest 2^b - 1 not smaller than n.
    let mut lim = n;
    lim |= lim >> 1;
    lim |= lim >> 2;
    lim |= lim >> 4;
    lim |= lim >> 8;
    lim |= lim >> 16;
    lim |= lim >> 32;
    loop {
        ran &= lim;
        if ran <= n {
            return ran;
        }
        ran = g.next_u64();
    }
}

fn random(vm: &mut Vm, base: usize, nargs: usize, state: &Cell<Xoshiro>) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let mut g = state.get();
    let rv = g.next_u64();
    state.set(g);
    let (low, up) = match nargs {
        0 => return ret1(vm, Value::Float(to_unit_float(rv))),
        1 => {
            let up = args.check_integer(vm, 1)?;
            if up == 0 {
                return ret1(vm, Value::Int(rv as i64)); // full random integer
            }
            (1, up)
        }
        2 => (args.check_integer(vm, 1)?, args.check_integer(vm, 2)?),
        _ => return Err(vm.rt_error("wrong number of arguments")),
    };
    if low > up {
        return Err(vm.arg_error(1, "interval is empty"));
    }
    let mut g = state.get();
    let p = project(rv, (up as u64).wrapping_sub(low as u64), &mut g);
    state.set(g);
    ret1(vm, Value::Int(p.wrapping_add(low as u64) as i64))
}

fn randomseed(vm: &mut Vm, base: usize, nargs: usize, state: &Cell<Xoshiro>) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let (n1, n2) = if args.is_none(1) {
        // A "weak attempt for randomness", as lua5.4's `randseed`.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        (t as i64, (state as *const Cell<Xoshiro> as usize) as i64)
    } else {
        let n1 = args.check_integer(vm, 1)?;
        let n2 = args.opt_integer(vm, 2, 0)?;
        (n1, n2)
    };
    state.set(Xoshiro::seeded(n1 as u64, n2 as u64));
    vm.push(Value::Int(n1));
    vm.push(Value::Int(n2));
    Ok(2)
}
