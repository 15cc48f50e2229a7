//! The table library (`ltablib.c`): `concat`, `insert`, `move`, `pack`, `remove`, `sort`,
//! `unpack`.
//!
//! As in Lua 5.4, every element access goes through `__index`/`__newindex` (`lua_geti` /
//! `lua_seti`) and lengths through `__len` (`luaL_len`); a non-table argument is accepted
//! when its metatable provides the metamethods the function needs (`checktab`).

use crate::args::Args;
use crate::error::LuaResult;
use crate::function::NativeFn;
use crate::state::Vm;
use crate::value::Value;

/// `checktab` needs: read (`__index`), write (`__newindex`), length (`__len`).
const TAB_R: u8 = 1;
const TAB_W: u8 = 2;
const TAB_L: u8 = 4;
const TAB_RW: u8 = TAB_R | TAB_W;

/// `INT_MAX` of the C implementation (limits of `unpack` and `sort`).
const INT_MAX: i64 = i32::MAX as i64;

/// Registers the `table` library.
pub fn open(vm: &mut Vm) {
    let funcs: &[(&str, NativeFn)] = &[
        ("concat", concat),
        ("insert", insert),
        ("move", move_),
        ("pack", pack),
        ("remove", remove),
        ("sort", sort),
        ("unpack", unpack),
    ];
    let t = vm.new_table();
    for &(name, f) in funcs {
        vm.set_field(t, name, Value::Native(f));
    }
    vm.set_global("table", Value::Table(t));
}

/// `t[i]` with `__index` (`lua_geti`).
pub(crate) fn geti(vm: &mut Vm, t: Value, i: i64) -> LuaResult<Value> {
    match t {
        Value::Table(tb) if tb.metatable().is_none() => Ok(tb.get_int(i)),
        _ => vm.index_value(t, Value::Int(i)),
    }
}

/// `t[i] = v` with `__newindex` (`lua_seti`).
pub(crate) fn seti(vm: &mut Vm, t: Value, i: i64, v: Value) -> LuaResult<()> {
    match t {
        Value::Table(tb) if tb.metatable().is_none() && !tb.is_frozen() => {
            tb.set_int(&mut vm.heap, i, v);
            Ok(())
        }
        _ => vm.set_index_value(t, Value::Int(i), v),
    }
}

/// `#v` with `__len`, which must be an integer (`luaL_len`).
pub(crate) fn len_of(vm: &mut Vm, v: Value) -> LuaResult<i64> {
    if let Value::Table(t) = v {
        if t.metatable().is_none() {
            return Ok(t.len());
        }
    }
    let n = vm.length(v)?;
    match vm.to_integer(n) {
        Some(n) => Ok(n),
        None => Err(vm.rt_error("object length is not an integer")),
    }
}

/// Argument `i` must be a table or have a metatable with the fields `what` asks for.
fn checktab(vm: &mut Vm, args: &Args, i: usize, what: u8) -> LuaResult<Value> {
    let v = args.get(vm, i);
    if let Value::Table(_) = v {
        return Ok(v);
    }
    if let Some(mt) = vm.get_metatable(v) {
        let has = |vm: &mut Vm, name: &str| {
            let k = vm.intern(name.as_bytes());
            !mt.get_str(k).is_nil()
        };
        let ok = (what & TAB_R == 0 || has(vm, "__index"))
            && (what & TAB_W == 0 || has(vm, "__newindex"))
            && (what & TAB_L == 0 || has(vm, "__len"));
        if ok {
            return Ok(v);
        }
    }
    Err(vm.type_arg_error(i, "table", v, !args.is_none(i)))
}

/// `checktab` plus the length (`aux_getn`).
fn aux_getn(vm: &mut Vm, args: &Args, i: usize, what: u8) -> LuaResult<(Value, i64)> {
    let t = checktab(vm, args, i, what | TAB_L)?;
    let n = len_of(vm, t)?;
    Ok((t, n))
}

fn insert(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let (t, n) = aux_getn(vm, &args, 1, TAB_RW)?;
    let e = n.wrapping_add(1); // first empty element
    let pos = match nargs {
        2 => e,
        3 => {
            let pos = args.check_integer(vm, 2)?;
            // pos must be in [1, e]
            if (pos as u64).wrapping_sub(1) >= e as u64 {
                return Err(vm.arg_error(2, "position out of bounds"));
            }
            let mut i = e;
            while i > pos {
                vm.charge_checked(1)?;
                let v = geti(vm, t, i - 1)?;
                seti(vm, t, i, v)?;
                i -= 1;
            }
            pos
        }
        _ => return Err(vm.rt_error("wrong number of arguments to 'insert'")),
    };
    let v = args.get(vm, nargs);
    seti(vm, t, pos, v)?;
    Ok(0)
}

fn remove(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let (t, size) = aux_getn(vm, &args, 1, TAB_RW)?;
    let mut pos = args.opt_integer(vm, 2, size)?;
    // Validate a given position: it must be in [1, size + 1]. (5.4.4 reports it as
    // argument #1.)
    if pos != size && (pos as u64).wrapping_sub(1) > size as u64 {
        return Err(vm.arg_error(1, "position out of bounds"));
    }
    let result = geti(vm, t, pos)?;
    // Keep the result rooted while elements move (metamethods may run).
    vm.push(result);
    while pos < size {
        vm.charge_checked(1)?;
        let v = geti(vm, t, pos + 1)?;
        seti(vm, t, pos, v)?;
        pos += 1;
    }
    seti(vm, t, pos, Value::Nil)?;
    Ok(1)
}

fn move_(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let f = args.check_integer(vm, 2)?;
    let e = args.check_integer(vm, 3)?;
    let t = args.check_integer(vm, 4)?;
    let tt = if !args.is_none_or_nil(vm, 5) { 5 } else { 1 };
    let src = checktab(vm, &args, 1, TAB_R)?;
    let dst = checktab(vm, &args, tt, TAB_W)?;
    if e >= f {
        if !(f > 0 || e < i64::MAX.wrapping_add(f)) {
            return Err(vm.arg_error(3, "too many elements to move"));
        }
        let n = e - f + 1; // number of elements to move
        if t > i64::MAX - n + 1 {
            return Err(vm.arg_error(4, "destination wrap around"));
        }
        let forward = t > e || t <= f || (tt != 1 && !vm.equals(src, dst)?);
        if forward {
            for i in 0..n {
                vm.charge_checked(1)?;
                let v = geti(vm, src, f + i)?;
                seti(vm, dst, t + i, v)?;
            }
        } else {
            let mut i = n - 1;
            while i >= 0 {
                vm.charge_checked(1)?;
                let v = geti(vm, src, f + i)?;
                seti(vm, dst, t + i, v)?;
                i -= 1;
            }
        }
    }
    vm.push(dst);
    Ok(1)
}

fn concat(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let (t, last) = aux_getn(vm, &args, 1, TAB_R)?;
    let sep: Vec<u8> = match args.opt_str(vm, 2)? {
        Some(s) => s.as_bytes().to_vec(),
        None => Vec::new(),
    };
    let mut i = args.opt_integer(vm, 3, 1)?;
    let last = args.opt_integer(vm, 4, last)?;
    let mut buf: Vec<u8> = Vec::new();
    if i <= last {
        loop {
            let v = geti(vm, t, i)?;
            vm.charge_checked(1)?;
            match v {
                Value::Str(s) => {
                    vm.check_alloc(buf.len().saturating_add(s.len()))?;
                    buf.extend_from_slice(s.as_bytes());
                }
                Value::Int(_) | Value::Float(_) => {
                    let b = vm.to_str_bytes(v).unwrap_or_default();
                    buf.extend_from_slice(&b);
                }
                _ => {
                    let tn = v.type_name();
                    let msg = format!("invalid value ({tn}) at index {i} in table for 'concat'");
                    return Err(vm.rt_error(msg));
                }
            }
            if i == last {
                break;
            }
            vm.check_alloc(buf.len().saturating_add(sep.len()))?;
            buf.extend_from_slice(&sep);
            vm.charge(sep.len() as u64 / 64);
            i += 1;
        }
    }
    let s = vm.new_string_from_vec(buf);
    vm.push(s);
    Ok(1)
}

fn pack(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    vm.charge(nargs as u64);
    let t = vm.new_table_with(nargs, 1);
    for i in 0..nargs {
        let v = vm.stack[base + i];
        t.set_int(&mut vm.heap, i as i64 + 1, v);
    }
    vm.set_field(t, "n", Value::Int(nargs as i64));
    vm.push(Value::Table(t));
    Ok(1)
}

fn unpack(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let t = args.get(vm, 1);
    let mut i = args.opt_integer(vm, 2, 1)?;
    let e = if args.is_none_or_nil(vm, 3) {
        len_of(vm, t)?
    } else {
        args.check_integer(vm, 3)?
    };
    if i > e {
        return Ok(0);
    }
    let n = (e as u64).wrapping_sub(i as u64); // number of elements minus 1
    if n >= INT_MAX as u64 || vm.ensure_stack(vm.top + n as usize + 1).is_err() {
        return Err(vm.rt_error("too many results to unpack"));
    }
    let n = n as usize + 1;
    vm.charge(n as u64);
    while i < e {
        let v = geti(vm, t, i)?;
        vm.push(v);
        i += 1;
    }
    let v = geti(vm, t, e)?;
    vm.push(v);
    Ok(n)
}

// ---- sort ------------------------------------------------------------------------------
//
// A port of ltablib's quicksort. As in C, the values being moved live on the VM stack (so
// they stay reachable for the collector while the comparator runs): `push_geti` pushes
// `t[i]`, `set2` pops two values into `t[i]` and `t[j]`.

/// Intervals shorter than this use the middle element as pivot.
const RANLIMIT: i64 = 100;

struct Sort {
    t: Value,
    /// The comparator, or nil for `<`.
    f: Value,
    /// Source of pivot randomisation for badly unbalanced partitions (deterministic).
    seed: u32,
}

impl Sort {
    fn push_geti(&self, vm: &mut Vm, i: i64) -> LuaResult<()> {
        let v = geti(vm, self.t, i)?;
        vm.push(v);
        Ok(())
    }

    fn pop(vm: &mut Vm, n: usize) {
        vm.top -= n;
    }

    /// Value `k` slots below the top (`-1` is the top, as in the C API).
    fn at(vm: &Vm, k: usize) -> Value {
        vm.stack[vm.top - k]
    }

    /// Pops the top into `t[i]`, then the next one into `t[j]`.
    fn set2(&self, vm: &mut Vm, i: i64, j: i64) -> LuaResult<()> {
        let v = Self::at(vm, 1);
        seti(vm, self.t, i, v)?;
        Self::pop(vm, 1);
        let v = Self::at(vm, 1);
        seti(vm, self.t, j, v)?;
        Self::pop(vm, 1);
        Ok(())
    }

    /// Is the value at stack offset `a` less than the one at `b` (C-style negative offsets)?
    fn comp(&self, vm: &mut Vm, a: usize, b: usize) -> LuaResult<bool> {
        vm.charge_checked(1)?;
        let x = Self::at(vm, a);
        let y = Self::at(vm, b);
        if self.f.is_nil() {
            vm.less_than(x, y, false)
        } else {
            let r = vm.call_function(self.f, &[x, y])?;
            Ok(r.first().is_some_and(|v| v.truthy()))
        }
    }

    fn partition(&self, vm: &mut Vm, lo: i64, up: i64) -> LuaResult<i64> {
        let mut i = lo; // incremented before first use
        let mut j = up - 1; // decremented before first use
                            // Invariant: a[lo .. i] <= P <= a[j .. up], a[up - 1] == P (P is on the stack).
        loop {
            // Repeat ++i while a[i] < P.
            loop {
                i += 1;
                self.push_geti(vm, i)?;
                if !self.comp(vm, 1, 2)? {
                    break;
                }
                if i == up - 1 {
                    return Err(vm.rt_error("invalid order function for sorting"));
                }
                Self::pop(vm, 1);
            }
            // Repeat --j while P < a[j].
            loop {
                j -= 1;
                self.push_geti(vm, j)?;
                if !self.comp(vm, 3, 1)? {
                    break;
                }
                if j < i {
                    return Err(vm.rt_error("invalid order function for sorting"));
                }
                Self::pop(vm, 1);
            }
            if j < i {
                Self::pop(vm, 1); // a[j]
                                  // Swap the pivot (a[up - 1]) with a[i].
                self.set2(vm, up - 1, i)?;
                return Ok(i);
            }
            self.set2(vm, i, j)?;
        }
    }

    fn choose_pivot(lo: i64, up: i64, rnd: u32) -> i64 {
        let r4 = (up - lo) / 4;
        (rnd as i64) % (r4 * 2) + (lo + r4)
    }

    fn next_seed(&mut self) -> u32 {
        // xorshift32: deterministic, never zero.
        let mut x = self.seed;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.seed = x;
        x
    }

    fn auxsort(&mut self, vm: &mut Vm, mut lo: i64, mut up: i64, mut rnd: u32) -> LuaResult<()> {
        while lo < up {
            // Sort a[lo], a[p], a[up].
            self.push_geti(vm, lo)?;
            self.push_geti(vm, up)?;
            if self.comp(vm, 1, 2)? {
                self.set2(vm, lo, up)?;
            } else {
                Self::pop(vm, 2);
            }
            if up - lo == 1 {
                break;
            }
            let mut p = if up - lo < RANLIMIT || rnd == 0 {
                lo + (up - lo) / 2
            } else {
                Self::choose_pivot(lo, up, rnd)
            };
            self.push_geti(vm, p)?;
            self.push_geti(vm, lo)?;
            if self.comp(vm, 2, 1)? {
                self.set2(vm, p, lo)?;
            } else {
                Self::pop(vm, 1);
                self.push_geti(vm, up)?;
                if self.comp(vm, 1, 2)? {
                    self.set2(vm, p, up)?;
                } else {
                    Self::pop(vm, 2);
                }
            }
            if up - lo == 2 {
                break;
            }
            self.push_geti(vm, p)?; // the pivot
            let pivot = Self::at(vm, 1);
            vm.push(pivot);
            self.push_geti(vm, up - 1)?;
            self.set2(vm, p, up - 1)?;
            p = self.partition(vm, lo, up)?;
            // a[lo .. p - 1] <= a[p] == P <= a[p + 1 .. up]; recurse into the smaller half.
            let n;
            if p - lo < up - p {
                self.auxsort(vm, lo, p - 1, rnd)?;
                n = p - lo;
                lo = p + 1;
            } else {
                self.auxsort(vm, p + 1, up, rnd)?;
                n = up - p;
                up = p - 1;
            }
            if (up - lo) / 128 > n {
                // Partition too unbalanced: randomise the pivot choice.
                rnd = self.next_seed();
            }
        }
        Ok(())
    }
}

fn sort(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let (t, n) = aux_getn(vm, &args, 1, TAB_RW)?;
    if n > 1 {
        if n >= INT_MAX {
            return Err(vm.arg_error(1, "array too big"));
        }
        let f = args.get(vm, 2);
        if !f.is_nil() && !f.is_function() {
            return Err(vm.type_arg_error(2, "function", f, true));
        }
        if f.is_function() {
            // A Lua comparator runs through `call_then` (see `sort_step`): it may yield
            // or be sliced by the budget like any Lua code.
            vm.top = base + nargs.min(2);
            while vm.top < base + 2 {
                vm.push(Value::Nil);
            }
            vm.stack[base] = t;
            vm.stack[base + 1] = f;
            let state = SortMachine {
                work: vec![(1, n, 0)],
                phase: Phase::Next,
                lo: 0,
                up: 0,
                rnd: 0,
                p: 0,
                i: 0,
                j: 0,
                seed: 0x2545_f491,
            };
            let ud = vm.heap.alloc(crate::userdata::UserData {
                data: std::cell::RefCell::new(Box::new(state)),
                metatable: std::cell::Cell::new(None),
                user_value: std::cell::Cell::new(Value::Nil),
            });
            vm.push(Value::UserData(ud));
            return sort_step(vm, base, None);
        }
        let top = vm.top;
        let mut s = Sort {
            t,
            f,
            seed: 0x2545_f491,
        };
        let r = s.auxsort(vm, 1, n, 0);
        vm.top = top;
        r?;
    }
    Ok(0)
}

// ---- sort with a Lua comparator, as a resumable state machine --------------------------
//
// The same quicksort as `Sort::auxsort`/`partition`, with the recursion turned into a work
// list and every comparison a point where the machine stops, asks the VM to call the
// comparator (`call_then`) and continues in `sort_cont` with its result. The values being
// moved stay on the native's stack region above the state userdata, as in C.

/// Stack slot (from the native's base) of the state userdata; moved values follow it.
const SORT_STATE: usize = 2;

#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Take the next range from the work list.
    Next,
    /// Compared a[up] < a[lo].
    OrderEnds,
    /// Compared a[p] < a[lo].
    PivotLo,
    /// Compared a[up] < a[p].
    PivotUp,
    /// Compared a[i] < P.
    ScanI,
    /// Compared P < a[j].
    ScanJ,
}

struct SortMachine {
    /// Ranges still to sort: (lo, up, rnd).
    work: Vec<(i64, i64, u32)>,
    phase: Phase,
    lo: i64,
    up: i64,
    rnd: u32,
    p: i64,
    i: i64,
    j: i64,
    seed: u32,
}

/// What the machine needs next.
enum SortNeed {
    /// Compare the values at these offsets from the top (C-style: 1 is the top).
    Compare(usize, usize),
    Done,
}

impl SortMachine {
    fn next_seed(&mut self) -> u32 {
        let mut x = self.seed;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.seed = x;
        x
    }

    /// Runs until the next comparison (or the end); `res` answers the previous one.
    fn run(&mut self, vm: &mut Vm, t: Value, mut res: Option<bool>) -> LuaResult<SortNeed> {
        let at = |vm: &Vm, k: usize| vm.stack[vm.top - k];
        let push_geti = |vm: &mut Vm, i: i64| -> LuaResult<()> {
            let v = geti(vm, t, i)?;
            vm.push(v);
            Ok(())
        };
        let set2 = |vm: &mut Vm, i: i64, j: i64| -> LuaResult<()> {
            let v = at(vm, 1);
            seti(vm, t, i, v)?;
            vm.top -= 1;
            let v = at(vm, 1);
            seti(vm, t, j, v)?;
            vm.top -= 1;
            Ok(())
        };
        loop {
            match (self.phase, res.take()) {
                (Phase::Next, _) => {
                    let Some((lo, up, rnd)) = self.work.pop() else {
                        return Ok(SortNeed::Done);
                    };
                    if lo >= up {
                        continue;
                    }
                    (self.lo, self.up, self.rnd) = (lo, up, rnd);
                    push_geti(vm, lo)?;
                    push_geti(vm, up)?;
                    self.phase = Phase::OrderEnds;
                    return Ok(SortNeed::Compare(1, 2));
                }
                (Phase::OrderEnds, Some(lt)) => {
                    let (lo, up) = (self.lo, self.up);
                    if lt {
                        set2(vm, lo, up)?;
                    } else {
                        vm.top -= 2;
                    }
                    if up - lo == 1 {
                        self.phase = Phase::Next;
                        continue;
                    }
                    self.p = if up - lo < RANLIMIT || self.rnd == 0 {
                        lo + (up - lo) / 2
                    } else {
                        Sort::choose_pivot(lo, up, self.rnd)
                    };
                    push_geti(vm, self.p)?;
                    push_geti(vm, lo)?;
                    self.phase = Phase::PivotLo;
                    return Ok(SortNeed::Compare(2, 1));
                }
                (Phase::PivotLo, Some(lt)) => {
                    if lt {
                        set2(vm, self.p, self.lo)?;
                    } else {
                        vm.top -= 1;
                        push_geti(vm, self.up)?;
                        self.phase = Phase::PivotUp;
                        return Ok(SortNeed::Compare(1, 2));
                    }
                    if let Some(need) = self.start_partition(vm, t)? {
                        return Ok(need);
                    }
                }
                (Phase::PivotUp, Some(lt)) => {
                    if lt {
                        set2(vm, self.p, self.up)?;
                    } else {
                        vm.top -= 2;
                    }
                    if let Some(need) = self.start_partition(vm, t)? {
                        return Ok(need);
                    }
                }
                (Phase::ScanI, Some(lt)) => {
                    if lt {
                        if self.i == self.up - 1 {
                            return Err(vm.rt_error("invalid order function for sorting"));
                        }
                        vm.top -= 1;
                        self.i += 1;
                        push_geti(vm, self.i)?;
                        return Ok(SortNeed::Compare(1, 2));
                    }
                    self.j -= 1;
                    push_geti(vm, self.j)?;
                    self.phase = Phase::ScanJ;
                    return Ok(SortNeed::Compare(3, 1));
                }
                (Phase::ScanJ, Some(lt)) => {
                    if lt {
                        if self.j < self.i {
                            return Err(vm.rt_error("invalid order function for sorting"));
                        }
                        vm.top -= 1;
                        self.j -= 1;
                        push_geti(vm, self.j)?;
                        return Ok(SortNeed::Compare(3, 1));
                    }
                    if self.j < self.i {
                        vm.top -= 1; // a[j]
                        set2(vm, self.up - 1, self.i)?;
                        self.finish_partition();
                        continue;
                    }
                    set2(vm, self.i, self.j)?;
                    self.i += 1;
                    push_geti(vm, self.i)?;
                    self.phase = Phase::ScanI;
                    return Ok(SortNeed::Compare(1, 2));
                }
                (_, None) => {
                    return Err(vm.rt_error("table.sort lost its comparison result"));
                }
            }
        }
    }

    /// After the three-element ordering: place the pivot and start scanning.
    fn start_partition(&mut self, vm: &mut Vm, t: Value) -> LuaResult<Option<SortNeed>> {
        let (lo, up, p) = (self.lo, self.up, self.p);
        if up - lo == 2 {
            self.phase = Phase::Next;
            return Ok(None);
        }
        let v = geti(vm, t, p)?;
        vm.push(v);
        vm.push(v);
        let w = geti(vm, t, up - 1)?;
        vm.push(w);
        // set2(p, up - 1): a[p] = a[up - 1], a[up - 1] = P; one copy of P stays on the stack.
        let top1 = vm.stack[vm.top - 1];
        seti(vm, t, p, top1)?;
        vm.top -= 1;
        let top2 = vm.stack[vm.top - 1];
        seti(vm, t, up - 1, top2)?;
        vm.top -= 1;
        self.i = lo + 1;
        self.j = up - 1;
        let v = geti(vm, t, self.i)?;
        vm.push(v);
        self.phase = Phase::ScanI;
        Ok(Some(SortNeed::Compare(1, 2)))
    }

    /// The partition is done with the pivot at `i`: queue both halves, smaller on top.
    fn finish_partition(&mut self) {
        let (lo, up, p) = (self.lo, self.up, self.i);
        let (small, big, n) = if p - lo < up - p {
            ((lo, p - 1), (p + 1, up), p - lo)
        } else {
            ((p + 1, up), (lo, p - 1), up - p)
        };
        let mut rnd = self.rnd;
        if (big.1 - big.0) / 128 > n {
            rnd = self.next_seed();
        }
        self.work.push((big.0, big.1, rnd));
        self.work.push((small.0, small.1, self.rnd));
        self.phase = Phase::Next;
    }
}

fn sort_state(vm: &Vm, base: usize) -> Option<crate::gc::Gc<crate::userdata::UserData>> {
    match vm.stack.get(base + SORT_STATE) {
        Some(Value::UserData(u)) => Some(*u),
        _ => None,
    }
}

/// Drives the machine until it needs the comparator (then asks the VM to call it) or ends.
fn sort_step(vm: &mut Vm, base: usize, res: Option<bool>) -> LuaResult<usize> {
    let Some(ud) = sort_state(vm, base) else {
        return Err(vm.rt_error("table.sort state lost"));
    };
    let (t, f) = (vm.stack[base], vm.stack[base + 1]);
    // Take the state out while it runs (it calls back into the VM for t[i] access).
    let taken = ud.data.borrow_mut().downcast_mut::<SortMachine>().map(|m| {
        std::mem::replace(
            m,
            SortMachine {
                work: Vec::new(),
                phase: Phase::Next,
                lo: 0,
                up: 0,
                rnd: 0,
                p: 0,
                i: 0,
                j: 0,
                seed: 0,
            },
        )
    });
    let Some(mut m) = taken else {
        return Err(vm.rt_error("table.sort state lost"));
    };
    let need = m.run(vm, t, res);
    if let Some(slot) = ud.data.borrow_mut().downcast_mut::<SortMachine>() {
        *slot = m;
    }
    match need? {
        SortNeed::Done => {
            vm.top = base + SORT_STATE;
            Ok(0)
        }
        SortNeed::Compare(a, b) => {
            vm.charge(1);
            let x = vm.stack[vm.top - a];
            let y = vm.stack[vm.top - b];
            let slot = vm.top;
            vm.ensure_stack(slot + 4)?;
            vm.push(f);
            vm.push(x);
            vm.push(y);
            vm.call_then(slot, 1, sort_cont)
        }
    }
}

/// The comparator returned: continue sorting with its result.
fn sort_cont(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let slot = base + nargs - 1;
    let res = vm.stack[slot].truthy();
    vm.top = slot;
    sort_step(vm, base, Some(res))
}
