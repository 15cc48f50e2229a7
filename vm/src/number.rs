//! Numeric conversions and arithmetic helpers with exact PUC Lua 5.4 semantics
//! (`lobject.c` / `lvm.c`), independent of the VM value types.
//!
//! * [`str_to_number`]: `luaO_str2num` (used by `tonumber`, string coercions
//!   and the lexer).
//! * [`fmt_float`]: `tostring` of a float (`"%.14g"`, plus `.0` when the result
//!   looks like an integer).
//! * C `printf` float conversions (`%e`, `%f`, `%g`, `%a`) reproducing glibc
//!   output byte for byte: [`fmt_g`] and the `fmt_*_abs` building blocks used by
//!   `string.format`.
//! * Float/integer conversions (`luaV_flttointns`), exact mixed comparisons
//!   (`LTintfloat` & co.), `for` loop preparation (`forlimit`, `forprep`).
//! * Integer/float division, modulo and shifts (`luaV_idiv`, `luaV_mod`,
//!   `luai_nummod`, `luaV_shiftl`).

/// A Lua number: integer or float subtype.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// C `isspace` in the C locale.
pub fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn hex_value(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// `luaO_str2num`: converts a whole string to a number, or `None` if the
/// string is not a valid numeral (the caller must use the whole string; any
/// embedded `\0` makes the conversion fail, like PUC's length check).
pub fn str_to_number(s: &[u8]) -> Option<Number> {
    if s.contains(&0) {
        return None;
    }
    if let Some(i) = str_to_int(s) {
        return Some(Number::Int(i));
    }
    str_to_float(s).map(Number::Float)
}

/// `l_str2int`: decimal integers (no overflow allowed) or hex integers
/// (wrapping modulo 2^64), with surrounding whitespace and optional sign.
fn str_to_int(s: &[u8]) -> Option<i64> {
    let mut p = 0;
    while p < s.len() && is_c_space(s[p]) {
        p += 1;
    }
    let mut neg = false;
    if p < s.len() && (s[p] == b'-' || s[p] == b'+') {
        neg = s[p] == b'-';
        p += 1;
    }
    let mut a: u64 = 0;
    let mut empty = true;
    if p + 1 < s.len() && s[p] == b'0' && (s[p + 1] == b'x' || s[p + 1] == b'X') {
        p += 2;
        while let Some(d) = s.get(p).and_then(|&c| hex_value(c)) {
            a = a.wrapping_mul(16).wrapping_add(u64::from(d));
            empty = false;
            p += 1;
        }
    } else {
        const MAXBY10: u64 = (i64::MAX / 10) as u64;
        const MAXLASTD: u64 = (i64::MAX % 10) as u64;
        while p < s.len() && s[p].is_ascii_digit() {
            let d = u64::from(s[p] - b'0');
            if a >= MAXBY10 && (a > MAXBY10 || d > MAXLASTD + u64::from(neg)) {
                return None;
            }
            a = a * 10 + d;
            empty = false;
            p += 1;
        }
    }
    while p < s.len() && is_c_space(s[p]) {
        p += 1;
    }
    if empty || p != s.len() {
        return None;
    }
    Some(if neg { 0u64.wrapping_sub(a) } else { a } as i64)
}

/// `l_str2d`: `strtod` in the C locale, rejecting `inf`/`nan`, requiring the
/// whole string (modulo surrounding whitespace) to be consumed.
fn str_to_float(s: &[u8]) -> Option<f64> {
    let mut p = 0;
    while p < s.len() && is_c_space(s[p]) {
        p += 1;
    }
    let mut end = s.len();
    while end > p && is_c_space(s[end - 1]) {
        end -= 1;
    }
    let body = &s[p..end];
    let (neg, body) = match body.first() {
        Some(b'-') => (true, &body[1..]),
        Some(b'+') => (false, &body[1..]),
        _ => (false, body),
    };
    let v = if body.len() >= 2 && body[0] == b'0' && (body[1] == b'x' || body[1] == b'X') {
        parse_hex_float(&body[2..])?
    } else {
        parse_dec_float(body)?
    };
    Some(if neg { -v } else { v })
}

/// Decimal float syntax: digits [ '.' digits ] [ (e|E) [sign] digits ],
/// with at least one mantissa digit.
fn parse_dec_float(b: &[u8]) -> Option<f64> {
    let mut p = 0;
    let mut ndig = 0;
    while p < b.len() && b[p].is_ascii_digit() {
        p += 1;
        ndig += 1;
    }
    if p < b.len() && b[p] == b'.' {
        p += 1;
        while p < b.len() && b[p].is_ascii_digit() {
            p += 1;
            ndig += 1;
        }
    }
    if ndig == 0 {
        return None;
    }
    if p < b.len() && (b[p] == b'e' || b[p] == b'E') {
        p += 1;
        if p < b.len() && (b[p] == b'+' || b[p] == b'-') {
            p += 1;
        }
        let start = p;
        while p < b.len() && b[p].is_ascii_digit() {
            p += 1;
        }
        if p == start {
            return None;
        }
    }
    if p != b.len() {
        return None;
    }
    // Only ASCII digits, '.', 'e', signs: valid UTF-8 and valid Rust syntax.
    std::str::from_utf8(b).ok()?.parse::<f64>().ok()
}

/// Hex float body (after `0x`): hexdigits [ '.' hexdigits ] [ (p|P) [sign] digits ],
/// correctly rounded (round half to even) like glibc `strtod`.
fn parse_hex_float(b: &[u8]) -> Option<f64> {
    let mut p = 0;
    let mut mant: u64 = 0;
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut ndig = 0;
    let mut seen_dot = false;
    while p < b.len() {
        let c = b[p];
        if c == b'.' {
            if seen_dot {
                break;
            }
            seen_dot = true;
        } else if let Some(d) = hex_value(c) {
            ndig += 1;
            if mant >> 60 == 0 {
                mant = mant * 16 + u64::from(d);
                if seen_dot {
                    exp -= 4;
                }
            } else {
                sticky |= d != 0;
                if !seen_dot {
                    exp += 4;
                }
            }
        } else {
            break;
        }
        p += 1;
    }
    if ndig == 0 {
        return None;
    }
    if p < b.len() && (b[p] == b'p' || b[p] == b'P') {
        p += 1;
        let mut eneg = false;
        if p < b.len() && (b[p] == b'+' || b[p] == b'-') {
            eneg = b[p] == b'-';
            p += 1;
        }
        let start = p;
        let mut e: i64 = 0;
        while p < b.len() && b[p].is_ascii_digit() {
            e = (e * 10 + i64::from(b[p] - b'0')).min(1 << 40);
            p += 1;
        }
        if p == start {
            return None;
        }
        exp += if eneg { -e } else { e };
    }
    if p != b.len() {
        return None;
    }
    Some(make_float(mant, exp, sticky))
}

/// 2^k for k in [-1022, 1023].
fn pow2(k: i64) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// Correctly rounded `mant * 2^e2` (+ a sticky nonzero tail below `mant`'s lsb).
fn make_float(mant: u64, e2: i64, sticky: bool) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    let nbits = 64 - i64::from(mant.leading_zeros());
    let top = nbits - 1 + e2; // exponent of the leading bit
    if top > 1024 {
        return f64::INFINITY;
    }
    if top < -1100 {
        return 0.0;
    }
    let lsb = (top - 52).max(-1074);
    let shift = lsb - e2;
    let q: u64 = if shift <= 0 {
        // exact: at most 53 significant bits
        mant << (-shift) as u32
    } else if shift >= 100 {
        0
    } else {
        let m = u128::from(mant);
        let q = m >> shift;
        let rem = m & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let up = rem > half || (rem == half && (sticky || q & 1 == 1));
        (q + u128::from(up)) as u64
    };
    if q == 0 {
        return 0.0;
    }
    // q * 2^lsb is exactly representable (or overflows to inf): split the scaling.
    let h1 = lsb / 2;
    let h2 = lsb - h1;
    (q as f64) * pow2(h1) * pow2(h2)
}

// ---------------------------------------------------------------------------
// Float formatting (glibc printf compatible)

/// Lua's `tostring` for floats (`LUAI_NUMFFORMAT` "%.14g", then `.0` appended
/// if the result looks like an integer). NaN prints as `nan` or `-nan`
/// according to its sign bit, as glibc does.
pub fn fmt_float(f: f64) -> String {
    let mut s = fmt_g(f, 14, false, false);
    if s.bytes().all(|c| c == b'-' || c.is_ascii_digit()) {
        s.push_str(".0");
    }
    s
}

/// Text for a non-finite value (without any `+`/space flag), or `None` if finite.
pub fn fmt_nonfinite(f: f64, upper: bool) -> Option<String> {
    let s = if f.is_nan() {
        if f.is_sign_negative() {
            "-nan"
        } else {
            "nan"
        }
    } else if f == f64::INFINITY {
        "inf"
    } else if f == f64::NEG_INFINITY {
        "-inf"
    } else {
        return None;
    };
    Some(if upper {
        s.to_ascii_uppercase()
    } else {
        s.to_string()
    })
}

/// C `%.<precision>g` (with `#` flag if `alt`, `%G` if `upper`), including sign,
/// inf and nan. No width/flags other than `#`.
pub fn fmt_g(f: f64, precision: usize, upper: bool, alt: bool) -> String {
    if let Some(s) = fmt_nonfinite(f, upper) {
        return s;
    }
    let body = fmt_g_abs(f.abs(), precision, upper, alt);
    if f.is_sign_negative() {
        format!("-{body}")
    } else {
        body
    }
}

/// Splits Rust's `{:e}` output ("1.25e-5") into mantissa and exponent.
fn rust_exp(x: f64, prec: usize) -> (String, i32) {
    let s = format!("{:.*e}", prec, x);
    match s.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse().unwrap_or(0)),
        None => (s, 0),
    }
}

/// C `%e` of a finite non-negative value (sign handled by the caller).
pub fn fmt_e_abs(x: f64, prec: usize, upper: bool, alt: bool) -> String {
    let (mut m, e) = rust_exp(x, prec);
    if alt && prec == 0 {
        m.push('.');
    }
    let sign = if e < 0 { '-' } else { '+' };
    let ec = if upper { 'E' } else { 'e' };
    format!("{m}{ec}{sign}{:02}", e.unsigned_abs())
}

/// C `%f` of a finite non-negative value.
pub fn fmt_f_abs(x: f64, prec: usize, alt: bool) -> String {
    let mut s = format!("{:.*}", prec, x);
    if alt && prec == 0 {
        s.push('.');
    }
    s
}

/// C `%g` of a finite non-negative value.
pub fn fmt_g_abs(x: f64, prec: usize, upper: bool, alt: bool) -> String {
    let p = if prec == 0 { 1 } else { prec };
    let x_exp = if x == 0.0 {
        0
    } else {
        rust_exp(x, p - 1).1 as i64
    };
    let p = p as i64;
    let mut s = if p > x_exp && x_exp >= -4 {
        fmt_f_abs(x, (p - 1 - x_exp) as usize, alt)
    } else {
        fmt_e_abs(x, (p - 1) as usize, upper, alt)
    };
    if !alt {
        let (mant, rest) = match s.find(['e', 'E']) {
            Some(i) => s.split_at(i),
            None => (s.as_str(), ""),
        };
        if mant.contains('.') {
            let t = mant.trim_end_matches('0').trim_end_matches('.');
            s = format!("{t}{rest}");
        }
    }
    s
}

/// C `%a` of a finite non-negative value, as glibc prints doubles: normal
/// numbers as `0x1.hhhp+e`, subnormals as `0x0.hhhp-1022`, zero as `0x0p+0`.
/// `prec` None means "as many digits as needed"; otherwise rounding is to
/// nearest, ties to even.
pub fn fmt_a_abs(x: f64, prec: Option<usize>, upper: bool, alt: bool) -> String {
    let bits = x.to_bits();
    let bexp = ((bits >> 52) & 0x7ff) as i64;
    let mut frac = bits & ((1u64 << 52) - 1);
    let (mut lead, exp) = if bexp == 0 {
        (0u64, if frac == 0 { 0 } else { -1022 })
    } else {
        (1u64, bexp - 1023)
    };
    // 13 hex digits of fraction
    let ndigits = match prec {
        None => {
            let mut n = 13;
            let mut f = frac;
            while n > 0 && f & 0xf == 0 {
                f >>= 4;
                n -= 1;
            }
            n
        }
        Some(p) => p,
    };
    let mut digits = String::new();
    if ndigits < 13 {
        let drop = (13 - ndigits) * 4;
        let q = frac >> drop;
        let rem = frac & ((1u64 << drop) - 1);
        let half = 1u64 << (drop - 1);
        let up = rem > half || (rem == half && (q & 1 == 1 || (ndigits == 0 && lead & 1 == 1)));
        let mut q = q + u64::from(up);
        if ndigits == 0 {
            lead += q;
            q = 0;
        } else if q >> (ndigits * 4) != 0 {
            lead += 1;
            q &= (1u64 << (ndigits * 4)) - 1;
        }
        frac = q;
        for i in (0..ndigits).rev() {
            digits.push(hex_digit(((frac >> (i * 4)) & 0xf) as u32, upper));
        }
    } else {
        for i in (0..13).rev() {
            digits.push(hex_digit(((frac >> (i * 4)) & 0xf) as u32, upper));
        }
        for _ in 13..ndigits {
            digits.push('0');
        }
    }
    let mut s = String::with_capacity(24 + digits.len());
    s.push_str(if upper { "0X" } else { "0x" });
    s.push(hex_digit(lead as u32, upper));
    if !digits.is_empty() || alt {
        s.push('.');
    }
    s.push_str(&digits);
    s.push(if upper { 'P' } else { 'p' });
    s.push(if exp < 0 { '-' } else { '+' });
    s.push_str(&exp.unsigned_abs().to_string());
    s
}

fn hex_digit(d: u32, upper: bool) -> char {
    let c = char::from_digit(d, 16).unwrap_or('0');
    if upper {
        c.to_ascii_uppercase()
    } else {
        c
    }
}

// ---------------------------------------------------------------------------
// Float <-> integer conversions

const TWO63: f64 = 9223372036854775808.0;

/// `lua_numbertointeger`: `f` must already be integral.
fn integral_to_int(f: f64) -> Option<i64> {
    if (-TWO63..TWO63).contains(&f) {
        Some(f as i64)
    } else {
        None
    }
}

/// `luaV_flttointns(F2Ieq)`: the integer with exactly the value `f`, if any.
pub fn float_to_int_exact(f: f64) -> Option<i64> {
    if f.floor() != f {
        return None;
    }
    integral_to_int(f)
}

/// `luaV_flttointns(F2Ifloor)`: floor(f) if it fits in an i64.
pub fn float_floor_to_int(f: f64) -> Option<i64> {
    integral_to_int(f.floor())
}

/// `luaV_flttointns(F2Iceil)`: ceil(f) if it fits in an i64.
pub fn float_ceil_to_int(f: f64) -> Option<i64> {
    integral_to_int(f.ceil())
}

/// `l_intfitsf`: whether `i` converts to float without loss of the
/// magnitude range check PUC uses (|i| <= 2^53).
pub fn int_fits_float(i: i64) -> bool {
    const MAXINTFITSF: u64 = 1 << 53;
    (MAXINTFITSF.wrapping_add(i as u64)) <= 2 * MAXINTFITSF
}

/// Exact `i < f`.
pub fn lt_int_float(i: i64, f: f64) -> bool {
    if f.is_nan() {
        false
    } else if f >= TWO63 {
        true
    } else if f > -TWO63 {
        // i < f  <=>  i < ceil(f)
        i < f.ceil() as i64
    } else {
        false
    }
}

/// Exact `i <= f`.
pub fn le_int_float(i: i64, f: f64) -> bool {
    if f.is_nan() {
        false
    } else if f >= TWO63 {
        true
    } else if f >= -TWO63 {
        // i <= f  <=>  i <= floor(f)
        i <= f.floor() as i64
    } else {
        false
    }
}

/// Exact `f < i`.
pub fn lt_float_int(f: f64, i: i64) -> bool {
    if f.is_nan() || f >= TWO63 {
        false
    } else if f >= -TWO63 {
        // f < i  <=>  floor(f) < i
        (f.floor() as i64) < i
    } else {
        true
    }
}

/// Exact `f <= i`.
pub fn le_float_int(f: f64, i: i64) -> bool {
    if f.is_nan() || f >= TWO63 {
        false
    } else if f > -TWO63 {
        // f <= i  <=>  ceil(f) <= i
        (f.ceil() as i64) <= i
    } else {
        true
    }
}

/// Exact `i == f` (`luaV_equalobj` for mixed subtypes).
pub fn eq_int_float(i: i64, f: f64) -> bool {
    float_to_int_exact(f) == Some(i)
}

/// Exact numeric `a < b` for any two Lua numbers (`LTnum`).
pub fn num_lt(a: Number, b: Number) -> bool {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => x < y,
        (Number::Int(x), Number::Float(y)) => lt_int_float(x, y),
        (Number::Float(x), Number::Int(y)) => lt_float_int(x, y),
        (Number::Float(x), Number::Float(y)) => x < y,
    }
}

/// Exact numeric `a <= b` (`LEnum`).
pub fn num_le(a: Number, b: Number) -> bool {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => x <= y,
        (Number::Int(x), Number::Float(y)) => le_int_float(x, y),
        (Number::Float(x), Number::Int(y)) => le_float_int(x, y),
        (Number::Float(x), Number::Float(y)) => x <= y,
    }
}

/// Exact numeric equality (`luaV_equalobj` on numbers).
pub fn num_eq(a: Number, b: Number) -> bool {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => x == y,
        (Number::Int(x), Number::Float(y)) | (Number::Float(y), Number::Int(x)) => {
            eq_int_float(x, y)
        }
        (Number::Float(x), Number::Float(y)) => x == y,
    }
}

/// Result of [`for_prep_int`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForPrep {
    /// The loop body must not run at all.
    Skip,
    /// Run the body `count + 1` times (PUC's unsigned iteration counter),
    /// starting at `init` and adding `step` each time (wrapping is never observed).
    Run { count: u64 },
}

/// `forlimit`: converts the limit of an integer `for` loop (init and step are
/// integers, `step != 0`). Returns `None` when the loop must be skipped,
/// otherwise the (possibly clipped) integer limit. The caller must already have
/// converted a string limit with [`str_to_number`] (PUC accepts numeric strings
/// here via `luaV_tointegerns`) and reported "'for' limit must be a number".
pub fn for_limit(init: i64, limit: Number, step: i64) -> Option<i64> {
    let lim = match limit {
        Number::Int(i) => i,
        Number::Float(f) => {
            let conv = if step < 0 {
                float_ceil_to_int(f)
            } else {
                float_floor_to_int(f)
            };
            match conv {
                Some(i) => i,
                None => {
                    if 0.0 < f {
                        if step < 0 {
                            return None;
                        }
                        i64::MAX
                    } else {
                        if step > 0 {
                            return None;
                        }
                        i64::MIN
                    }
                }
            }
        }
    };
    let skip = if step > 0 { init > lim } else { init < lim };
    if skip {
        None
    } else {
        Some(lim)
    }
}

/// `forprep` for integer loops (`step != 0`, checked by the caller with the
/// error "'for' step is zero"): the number of remaining iterations after the first.
pub fn for_prep_int(init: i64, limit: Number, step: i64) -> ForPrep {
    if step == 0 {
        return ForPrep::Skip;
    }
    let Some(lim) = for_limit(init, limit, step) else {
        return ForPrep::Skip;
    };
    let count = if step > 0 {
        let c = (lim as u64).wrapping_sub(init as u64);
        if step != 1 {
            c / (step as u64)
        } else {
            c
        }
    } else {
        let c = (init as u64).wrapping_sub(lim as u64);
        c / ((-(step + 1)) as u64 + 1)
    };
    ForPrep::Run { count }
}

// ---------------------------------------------------------------------------
// Arithmetic

/// `luaV_idiv`: floor division; `None` when `b == 0` ("attempt to perform 'n//0'").
pub fn int_floor_div(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        None
    } else if b == -1 {
        Some(a.wrapping_neg())
    } else {
        let q = a / b;
        if (a ^ b) < 0 && a % b != 0 {
            Some(q - 1)
        } else {
            Some(q)
        }
    }
}

/// `luaV_mod`: modulo with the divisor's sign; `None` when `b == 0`
/// ("attempt to perform 'n%%0'").
pub fn int_mod(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        None
    } else if b == -1 {
        Some(0)
    } else {
        let r = a % b;
        if r != 0 && (r ^ b) < 0 {
            Some(r + b)
        } else {
            Some(r)
        }
    }
}

/// `luai_nummod`: C `fmod`, then corrected to have the divisor's sign.
pub fn float_mod(a: f64, b: f64) -> f64 {
    // 5.4.4's `luai_nummod`: adjust when the remainder and divisor have opposite signs.
    let mut m = a % b;
    if m * b < 0.0 {
        m += b;
    }
    m
}

/// `luai_numidiv`: `floor(a / b)`.
pub fn float_floor_div(a: f64, b: f64) -> f64 {
    (a / b).floor()
}

/// `luaV_shiftl`: shift left by `n` (right, logically, if negative); shifts
/// of 64 or more bits give 0.
pub fn shift_left(x: i64, n: i64) -> i64 {
    if n < 0 {
        if n <= -64 {
            0
        } else {
            ((x as u64) >> (-n) as u32) as i64
        }
    } else if n >= 64 {
        0
    } else {
        ((x as u64) << n as u32) as i64
    }
}

/// `luaV_shiftr`: `shift_left(x, -n)` (with wrapping negation, as PUC).
pub fn shift_right(x: i64, n: i64) -> i64 {
    shift_left(x, n.wrapping_neg())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Number::{Float as F, Int as I};

    fn s2n(s: &str) -> Option<Number> {
        str_to_number(s.as_bytes())
    }

    #[test]
    fn str2num() {
        assert_eq!(s2n("1e400"), Some(F(f64::INFINITY)));
        assert_eq!(s2n("0x1p99999"), Some(F(f64::INFINITY)));
        assert_eq!(s2n(" 0x10 "), Some(I(16)));
        assert_eq!(
            s2n("9223372036854775808"),
            Some(F(9.223_372_036_854_776e18))
        );
        assert_eq!(s2n("9223372036854775807"), Some(I(i64::MAX)));
        assert_eq!(s2n("-9223372036854775808"), Some(I(i64::MIN)));
        assert_eq!(
            s2n("-9223372036854775809"),
            Some(F(-9.223_372_036_854_776e18))
        );
        assert_eq!(s2n("0xffffffffffffffffff"), Some(I(-1)));
        assert_eq!(s2n("0x7fffffffffffffff"), Some(I(i64::MAX)));
        assert_eq!(s2n("-0x1"), Some(I(-1)));
        assert_eq!(s2n("1e"), None);
        assert_eq!(s2n(".5"), Some(F(0.5)));
        assert_eq!(s2n("5."), Some(F(5.0)));
        assert_eq!(s2n("."), None);
        assert_eq!(s2n("0x.8"), Some(F(0.5)));
        assert_eq!(s2n("0x8."), Some(F(8.0)));
        assert_eq!(s2n("0x"), None);
        assert_eq!(s2n("0x1p"), None);
        assert_eq!(s2n("inf"), None);
        assert_eq!(s2n("-inf"), None);
        assert_eq!(s2n("nan"), None);
        assert_eq!(s2n("infinity"), None);
        assert_eq!(s2n(" -0x1P-2 "), Some(F(-0.25)));
        assert_eq!(s2n("1 2"), None);
        assert_eq!(s2n("\t1\x0b\x0c\r\n"), Some(I(1)));
        assert_eq!(s2n("+5"), Some(I(5)));
        assert_eq!(s2n("+-5"), None);
        assert_eq!(s2n("- 5"), None);
        assert_eq!(s2n(""), None);
        assert_eq!(s2n("  "), None);
        assert_eq!(s2n("1\0"), None);
        assert_eq!(s2n("1e+2"), Some(F(100.0)));
        assert_eq!(s2n("1E-2"), Some(F(0.01)));
        assert_eq!(s2n("0x1.8p1"), Some(F(3.0)));
        assert_eq!(s2n("0xA.8P0"), Some(F(10.5)));
        assert_eq!(s2n("0x1e"), Some(I(30)));
        assert_eq!(s2n("1.5e"), None);
        assert_eq!(s2n("0x1.."), None);
        assert_eq!(s2n("1..2"), None);
        assert_eq!(s2n("00012"), Some(I(12)));
        assert_eq!(s2n("1e-400"), Some(F(0.0)));
        assert_eq!(s2n("0x1p-1074"), Some(F(5e-324)));
        assert_eq!(s2n("0x1p-1075"), Some(F(0.0)));
        assert_eq!(s2n("0x1.8p-1074"), Some(F(1e-323)));
        assert_eq!(s2n("0x3p-1076"), Some(F(5e-324)));
        assert_eq!(s2n("0x1p1023"), Some(F(8.98846567431158e307)));
        assert_eq!(s2n("0x1.fffffffffffff8p1023"), Some(F(f64::INFINITY)));
        assert_eq!(s2n("0x1.fffffffffffff7p1023"), Some(F(f64::MAX)));
        // 2^53 + 1 rounds to even, 2^53 + 3 rounds up
        assert_eq!(s2n("0x20000000000001.0"), Some(F(9007199254740992.0)));
        assert_eq!(s2n("0x20000000000003.0"), Some(F(9007199254740996.0)));
        assert_eq!(s2n("0x10000000000000000000000000001p-100"), Some(F(4096.0)));
        assert_eq!(s2n("0x.0000000000000000000000001p100"), Some(F(1.0)));
        assert_eq!(s2n("0x100000000000000000000p0"), Some(F(2f64.powi(80))));
    }

    #[test]
    fn tostring_float() {
        let cases: &[(f64, &str)] = &[
            (1e15, "1e+15"),
            (1e16, "1e+16"),
            (9007199254740992.0, "9.007199254741e+15"),
            (-0.0, "-0.0"),
            (123.0, "123.0"),
            (1e100, "1e+100"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.33333333333333"),
            (-1e-7, "-1e-07"),
            (9.223_372_036_854_776e18, "9.2233720368548e+18"),
            (std::f64::consts::PI, "3.1415926535898"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (100000000000000.0, "1e+14"),
            (123456789012.0, "123456789012.0"),
            (2.5, "2.5"),
        ];
        for &(f, s) in cases {
            assert_eq!(fmt_float(f), s, "{f:?}");
        }
        assert_eq!(fmt_float(f64::from_bits(0xfff8000000000000)), "-nan");
        assert_eq!(fmt_float(f64::from_bits(0x7ff8000000000000)), "nan");
    }

    #[test]
    fn printf_floats() {
        assert_eq!(fmt_g(100000.0, 6, false, false), "100000");
        assert_eq!(fmt_g(1000000.0, 6, false, false), "1e+06");
        assert_eq!(fmt_g(0.00001234, 6, false, false), "1.234e-05");
        assert_eq!(fmt_g(123.456, 6, false, false), "123.456");
        assert_eq!(fmt_g(-0.0, 6, false, false), "-0");
        assert_eq!(fmt_g(1234567.0, 3, false, false), "1.23e+06");
        assert_eq!(fmt_g(1.0, 3, false, true), "1.00");
        assert_eq!(fmt_g(1.0, 6, false, true), "1.00000");
        assert_eq!(fmt_g(5e-324, 6, false, false), "4.94066e-324");
        assert_eq!(fmt_g(0.1, 20, false, false), "0.10000000000000000555");
        assert_eq!(fmt_g(0.5, 0, false, false), "0.5");
        assert_eq!(fmt_g(1e-20, 6, true, false), "1E-20");
        assert_eq!(fmt_g(1e-5, 6, false, false), "1e-05");
        assert_eq!(fmt_g(123456789.0, 6, false, false), "1.23457e+08");
        assert_eq!(fmt_g(0.0001, 6, false, false), "0.0001");
        assert_eq!(fmt_f_abs(0.5, 0, false), "0");
        assert_eq!(fmt_f_abs(1.5, 0, false), "2");
        assert_eq!(fmt_f_abs(2.5, 0, false), "2");
        assert_eq!(fmt_f_abs(3.0, 0, true), "3.");
        assert_eq!(fmt_e_abs(3.0, 0, false, true), "3.e+00");
        assert_eq!(fmt_e_abs(1234.5, 3, false, false), "1.234e+03");
        assert_eq!(fmt_e_abs(1e300, 2, true, false), "1.00E+300");
        let a = |x: f64, p: Option<usize>| fmt_a_abs(x, p, false, false);
        assert_eq!(a(1.5, Some(0)), "0x2p+0");
        assert_eq!(a(5e-324, None), "0x0.0000000000001p-1022");
        assert_eq!(a(0.0, None), "0x0p+0");
        assert_eq!(a(1.0 / 3.0, Some(3)), "0x1.555p-2");
        assert_eq!(fmt_a_abs(255.5, None, true, false), "0X1.FFP+7");
        assert_eq!(a(2.5, Some(1)), "0x1.4p+1");
        assert_eq!(a(2.5, Some(0)), "0x1p+1");
        assert_eq!(a(3.5, Some(0)), "0x2p+1");
        assert_eq!(a(1.03125, Some(1)), "0x1.0p+0");
        assert_eq!(a(1.96875, Some(0)), "0x2p+0");
        assert_eq!(a(2.2250738585072014e-308, None), "0x1p-1022");
        assert_eq!(a(1.1, Some(20)), "0x1.199999999999a0000000p+0");
        assert_eq!(a(1.1, Some(13)), "0x1.199999999999ap+0");
        assert_eq!(a(1.1, Some(12)), "0x1.19999999999ap+0");
        assert_eq!(a(f64::MAX, None), "0x1.fffffffffffffp+1023");
        assert_eq!(a(1.5e-323, None), "0x0.0000000000003p-1022");
        assert_eq!(fmt_a_abs(1.0, None, false, true), "0x1.p+0");
        assert_eq!(fmt_a_abs(1.0, Some(0), false, true), "0x1.p+0");
        assert_eq!(a(1e100, None), "0x1.249ad2594c37dp+332");
        assert_eq!(a(0.0, Some(3)), "0x0.000p+0");
    }

    #[test]
    fn conversions_and_comparisons() {
        let two63 = 9223372036854775808.0;
        assert_eq!(float_to_int_exact(3.0), Some(3));
        assert_eq!(float_to_int_exact(3.5), None);
        assert_eq!(float_to_int_exact(two63), None);
        assert_eq!(float_to_int_exact(-two63), Some(i64::MIN));
        assert_eq!(float_to_int_exact(f64::NAN), None);
        assert_eq!(float_to_int_exact(f64::INFINITY), None);
        assert_eq!(float_floor_to_int(-3.5), Some(-4));
        assert_eq!(float_ceil_to_int(-3.5), Some(-3));
        assert_eq!(float_ceil_to_int(-two63 - 0.5), Some(i64::MIN)); // same double
        assert!(int_fits_float(1 << 53));
        assert!(int_fits_float(-(1 << 53)));
        assert!(!int_fits_float((1 << 53) + 1));
        // math.maxinteger < 2^63 is true; math.maxinteger + 0.0 == 2^63
        assert!(lt_int_float(i64::MAX, two63));
        assert!(!le_float_int(two63, i64::MAX));
        assert!(lt_float_int(-two63 - 2048.0, i64::MIN));
        assert!(le_float_int(-two63, i64::MIN));
        assert!(!lt_float_int(-two63, i64::MIN));
        assert!(le_int_float(i64::MIN, -two63));
        assert!(!lt_int_float(i64::MIN, -two63));
        assert!(!eq_int_float(i64::MAX, two63));
        assert!(eq_int_float(i64::MIN, -two63));
        for f in [f64::NAN, -f64::NAN] {
            assert!(!lt_int_float(1, f) && !le_int_float(1, f));
            assert!(!lt_float_int(f, 1) && !le_float_int(f, 1));
            assert!(!eq_int_float(0, f));
        }
        assert!(lt_int_float(i64::MAX, f64::INFINITY));
        assert!(!lt_int_float(i64::MIN, f64::NEG_INFINITY));
        assert!(lt_float_int(f64::NEG_INFINITY, i64::MIN));
        assert!(lt_int_float(1, 1.5) && !lt_int_float(2, 1.5));
        assert!(le_int_float(1, 1.0) && !lt_int_float(1, 1.0));
        assert!(lt_float_int(1.5, 2) && !lt_float_int(2.0, 2) && le_float_int(2.0, 2));
        assert!(lt_float_int(-1.5, -1) && !lt_float_int(-1.5, -2));
        // 2^53+1 vs 2^53 as float
        let big = (1i64 << 53) + 1;
        assert!(lt_float_int(9007199254740992.0, big));
        assert!(!eq_int_float(big, 9007199254740992.0));
        assert!(num_lt(I(1), F(1.5)) && num_le(F(1.0), I(1)) && num_eq(I(1), F(1.0)));
    }

    #[test]
    fn for_loops() {
        assert_eq!(for_prep_int(1, I(10), 1), ForPrep::Run { count: 9 });
        assert_eq!(for_prep_int(1, I(10), 3), ForPrep::Run { count: 3 });
        assert_eq!(for_prep_int(10, I(1), -3), ForPrep::Run { count: 3 });
        assert_eq!(for_prep_int(1, I(0), 1), ForPrep::Skip);
        assert_eq!(for_prep_int(1, F(1.5), 1), ForPrep::Run { count: 0 });
        assert_eq!(for_prep_int(1, F(0.5), 1), ForPrep::Skip);
        assert_eq!(for_prep_int(1, F(1e300), -1), ForPrep::Skip);
        assert_eq!(for_limit(1, F(1e300), 1), Some(i64::MAX));
        assert_eq!(for_limit(1, F(-1e300), -1), Some(i64::MIN));
        assert_eq!(for_limit(1, F(f64::NAN), 1), None);
        assert_eq!(for_limit(1, F(f64::NAN), -1), Some(i64::MIN));
        assert_eq!(
            for_prep_int(i64::MIN, I(i64::MAX), 1),
            ForPrep::Run { count: u64::MAX }
        );
        assert_eq!(
            for_prep_int(i64::MAX, I(i64::MIN), i64::MIN),
            ForPrep::Run { count: 1 }
        );
    }

    #[test]
    fn arithmetic() {
        assert_eq!(int_floor_div(7, 2), Some(3));
        assert_eq!(int_floor_div(-7, 2), Some(-4));
        assert_eq!(int_floor_div(7, -2), Some(-4));
        assert_eq!(int_floor_div(i64::MIN, -1), Some(i64::MIN));
        assert_eq!(int_floor_div(1, 0), None);
        assert_eq!(int_mod(-7, 2), Some(1));
        assert_eq!(int_mod(7, -2), Some(-1));
        assert_eq!(int_mod(i64::MIN, -1), Some(0));
        assert_eq!(int_mod(5, 0), None);
        assert_eq!(float_mod(5.5, -2.0), -0.5);
        assert_eq!(float_mod(-5.5, 2.0), 0.5);
        assert_eq!(float_mod(1.0, f64::INFINITY), 1.0);
        assert_eq!(float_mod(-1.0, f64::INFINITY), f64::INFINITY);
        assert_eq!(float_mod(1.0, f64::NEG_INFINITY), f64::NEG_INFINITY);
        assert!(float_mod(f64::INFINITY, 2.0).is_nan());
        assert!(float_mod(1.0, 0.0).is_nan());
        assert_eq!(float_floor_div(7.0, -2.0), -4.0);
        assert_eq!(float_floor_div(1.0, 0.0), f64::INFINITY);
        assert_eq!(shift_left(1, 63), i64::MIN);
        assert_eq!(shift_left(1, 64), 0);
        assert_eq!(shift_left(-1, -1), i64::MAX);
        assert_eq!(shift_left(-1, -64), 0);
        assert_eq!(shift_right(-1, 60), 15);
        assert_eq!(shift_right(1, i64::MIN), 0);
    }
}
