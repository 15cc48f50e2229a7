//! The utf8 library (`lutf8lib.c` of Lua 5.4.4): `char`, `charpattern`, `codes`,
//! `codepoint`, `len`, `offset`.
//!
//! Decoding accepts the original UTF-8 up to 6 bytes / 31 bits; the strict (default) mode
//! additionally refuses surrogates and code points above U+10FFFF, and `lax` arguments turn
//! that check off, as in Lua.

use crate::args::Args;
use crate::error::LuaResult;
use crate::function::NativeFn;
use crate::state::Vm;
use crate::value::Value;

const MAXUNICODE: u32 = 0x10FFFF;
const MAXUTF: u32 = 0x7FFF_FFFF;
const MSG_INVALID: &str = "invalid UTF-8 code";

/// Pattern matching exactly one UTF-8 byte sequence (`UTF8PATT`).
pub const CHARPATTERN: &[u8] = b"[\x00-\x7F\xC2-\xFD][\x80-\xBF]*";

/// Registers the `utf8` library.
pub fn open(vm: &mut Vm) {
    let funcs: &[(&str, NativeFn)] = &[
        ("char", char_),
        ("codepoint", codepoint),
        ("codes", codes),
        ("len", len),
        ("offset", offset),
    ];
    let t = vm.new_table();
    for &(name, f) in funcs {
        vm.set_field(t, name, Value::Native(f));
    }
    let p = vm.new_str(CHARPATTERN);
    vm.set_field(t, "charpattern", p);
    vm.set_global("utf8", Value::Table(t));
}

/// Byte `i` of `s`, or 0 past the end (C strings end with a NUL).
#[inline]
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

#[inline]
fn is_cont(s: &[u8], i: usize) -> bool {
    at(s, i) & 0xC0 == 0x80
}

/// Decodes the sequence at `s[i..]`: the code point and the index after it, or `None`
/// for an invalid sequence (`utf8_decode`).
pub fn decode(s: &[u8], i: usize, strict: bool) -> Option<(u32, usize)> {
    const LIMITS: [u32; 6] = [!0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000];
    let mut c = at(s, i) as u32;
    let mut res: u32 = 0;
    let mut count = 0usize;
    if c < 0x80 {
        res = c;
    } else {
        while c & 0x40 != 0 {
            count += 1;
            let cc = at(s, i + count) as u32;
            if cc & 0xC0 != 0x80 {
                return None;
            }
            res = (res << 6) | (cc & 0x3F);
            c <<= 1;
        }
        res |= (c & 0x7F).wrapping_shl(count as u32 * 5);
        if count > 5 || res > MAXUTF || res < LIMITS[count] {
            return None;
        }
    }
    if strict && (res > MAXUNICODE || (0xD800..=0xDFFF).contains(&res)) {
        return None;
    }
    Some((res, i + count + 1))
}

/// UTF-8 encoding of `x <= 0x7FFFFFFF` (`luaO_utf8esc`), appended to `out`.
pub fn encode(x: u32, out: &mut Vec<u8>) {
    if x < 0x80 {
        out.push(x as u8);
        return;
    }
    let mut buf = [0u8; 8];
    let mut n = 1;
    let mut x = x;
    let mut mfb: u32 = 0x3f; // largest value that fits in the first byte
    loop {
        buf[8 - n] = 0x80 | (x & 0x3f) as u8;
        n += 1;
        x >>= 6;
        mfb >>= 1;
        if x <= mfb {
            break;
        }
    }
    buf[8 - n] = ((!mfb << 1) | x) as u8;
    out.extend_from_slice(&buf[8 - n..]);
}

/// A relative position: negative counts back from the end (`u_posrelat`).
fn posrelat(pos: i64, len: usize) -> i64 {
    if pos >= 0 {
        pos
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        len as i64 + pos + 1
    }
}

fn len(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = args.check_str(vm, 1)?;
    let l = s.len();
    let mut posi = posrelat(args.opt_integer(vm, 2, 1)?, l);
    let mut posj = posrelat(args.opt_integer(vm, 3, -1)?, l);
    let lax = args.get(vm, 4).truthy();
    if !(1 <= posi && posi - 1 <= l as i64) {
        return Err(vm.arg_error(2, "initial position out of bounds"));
    }
    posi -= 1;
    posj -= 1;
    if posj >= l as i64 {
        return Err(vm.arg_error(3, "final position out of bounds"));
    }
    let bytes = s.as_bytes();
    let mut n: i64 = 0;
    while posi <= posj {
        match decode(bytes, posi as usize, !lax) {
            Some((_, next)) => posi = next as i64,
            None => {
                vm.charge(n as u64 / 16);
                vm.push(Value::Nil);
                vm.push(Value::Int(posi + 1));
                return Ok(2);
            }
        }
        n += 1;
    }
    vm.charge(n as u64 / 16);
    vm.push(Value::Int(n));
    Ok(1)
}

fn codepoint(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = args.check_str(vm, 1)?;
    let l = s.len();
    let posi = posrelat(args.opt_integer(vm, 2, 1)?, l);
    let pose = posrelat(args.opt_integer(vm, 3, posi)?, l);
    let lax = args.get(vm, 4).truthy();
    if posi < 1 {
        return Err(vm.arg_error(2, "out of bounds"));
    }
    if pose > l as i64 {
        return Err(vm.arg_error(3, "out of bounds"));
    }
    if posi > pose {
        return Ok(0);
    }
    if pose - posi >= i32::MAX as i64 {
        return Err(vm.rt_error("string slice too long"));
    }
    let n = (pose - posi) as usize + 1;
    if vm.ensure_stack(vm.top + n).is_err() {
        return Err(vm.rt_error("stack overflow (string slice too long)"));
    }
    vm.charge(n as u64);
    let bytes = s.as_bytes();
    let end = pose as usize;
    let mut i = posi as usize - 1;
    let mut count = 0;
    while i < end {
        match decode(bytes, i, !lax) {
            Some((code, next)) => {
                vm.push(Value::Int(code as i64));
                count += 1;
                i = next;
            }
            None => return Err(vm.rt_error(MSG_INVALID)),
        }
    }
    Ok(count)
}

fn char_(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let mut out = Vec::new();
    for i in 1..=nargs {
        let code = args.check_integer(vm, i)? as u64;
        if code > MAXUTF as u64 {
            return Err(vm.arg_error(i, "value out of range"));
        }
        encode(code as u32, &mut out);
    }
    vm.charge(nargs as u64 / 16);
    let r = vm.new_string_from_vec(out);
    vm.push(r);
    Ok(1)
}

fn offset(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = args.check_str(vm, 1)?;
    let l = s.len() as i64;
    let mut n = args.check_integer(vm, 2)?;
    let default = if n >= 0 { 1 } else { l + 1 };
    let mut posi = posrelat(args.opt_integer(vm, 3, default)?, l as usize);
    if !(1 <= posi && posi - 1 <= l) {
        return Err(vm.arg_error(3, "position out of bounds"));
    }
    posi -= 1;
    let b = s.as_bytes();
    let mut steps: u64 = 0;
    if n == 0 {
        // Find the beginning of the current byte sequence.
        while posi > 0 && is_cont(b, posi as usize) {
            posi -= 1;
            steps += 1;
        }
    } else {
        if is_cont(b, posi as usize) {
            return Err(vm.rt_error("initial position is a continuation byte"));
        }
        if n < 0 {
            while n < 0 && posi > 0 {
                // Find the beginning of the previous character.
                loop {
                    posi -= 1;
                    steps += 1;
                    if !(posi > 0 && is_cont(b, posi as usize)) {
                        break;
                    }
                }
                n += 1;
            }
        } else {
            n -= 1; // do not move for the first character
            while n > 0 && posi < l {
                // Find the beginning of the next character.
                loop {
                    posi += 1;
                    steps += 1;
                    if !is_cont(b, posi as usize) {
                        break;
                    }
                }
                n -= 1;
            }
        }
    }
    vm.charge(steps / 16);
    let r = if n == 0 {
        Value::Int(posi + 1)
    } else {
        Value::Nil
    };
    vm.push(r);
    Ok(1)
}

fn iter_aux(vm: &mut Vm, base: usize, nargs: usize, strict: bool) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = args.check_str(vm, 1)?;
    let b = s.as_bytes();
    let l = b.len() as u64;
    // The control value is the 1-based position of the previous character, that is the
    // 0-based index of its second byte: skip that character's continuation bytes.
    let mut n = vm.to_integer(args.get(vm, 2)).unwrap_or(0) as u64;
    if n < l {
        while is_cont(b, n as usize) {
            n += 1;
        }
    }
    if n >= l {
        return Ok(0);
    }
    match decode(b, n as usize, strict) {
        Some((code, _)) => {
            vm.push(Value::Int(n as i64 + 1));
            vm.push(Value::Int(code as i64));
            Ok(2)
        }
        None => Err(vm.rt_error(MSG_INVALID)),
    }
}

fn iter_strict(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    iter_aux(vm, base, nargs, true)
}

fn iter_lax(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    iter_aux(vm, base, nargs, false)
}

fn codes(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let lax = args.get(vm, 2).truthy();
    let s = args.check_str(vm, 1)?;
    let f: NativeFn = if lax { iter_lax } else { iter_strict };
    vm.push(Value::Native(f));
    vm.push(Value::Str(s));
    vm.push(Value::Int(0));
    Ok(3)
}
