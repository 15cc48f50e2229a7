//! Numeric conversions (temporary minimal version; replaced by the full module).

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

pub fn float_to_int_exact(f: f64) -> Option<i64> {
    if f.floor() == f && (-9223372036854775808.0..9223372036854775808.0).contains(&f) {
        Some(f as i64)
    } else {
        None
    }
}

pub fn float_floor_to_int(f: f64) -> Option<i64> {
    float_to_int_exact(f.floor())
}

pub fn float_ceil_to_int(f: f64) -> Option<i64> {
    float_to_int_exact(f.ceil())
}

pub fn eq_int_float(i: i64, f: f64) -> bool {
    float_to_int_exact(f) == Some(i)
}

pub fn lt_int_float(i: i64, f: f64) -> bool {
    if f.is_nan() {
        return false;
    }
    if f >= 9223372036854775808.0 {
        return true;
    }
    if f <= -9223372036854775808.0 {
        return false;
    }
    // i < f  <=>  i < ceil(f)
    (i as i128) < f.ceil() as i128
}
pub fn le_int_float(i: i64, f: f64) -> bool {
    if f.is_nan() {
        return false;
    }
    if f >= 9223372036854775808.0 {
        return true;
    }
    if f < -9223372036854775808.0 {
        return false;
    }
    (i as i128) <= f.floor() as i128
}
pub fn lt_float_int(f: f64, i: i64) -> bool {
    if f.is_nan() {
        return false;
    }
    !le_int_float(i, f)
}
pub fn le_float_int(f: f64, i: i64) -> bool {
    if f.is_nan() {
        return false;
    }
    !lt_int_float(i, f)
}

pub fn int_floor_div(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        return None;
    }
    if b == -1 {
        return Some(a.wrapping_neg());
    }
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        Some(q - 1)
    } else {
        Some(q)
    }
}

pub fn int_mod(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        return None;
    }
    if b == -1 {
        return Some(0);
    }
    let r = a % b;
    if r != 0 && (r ^ b) < 0 {
        Some(r + b)
    } else {
        Some(r)
    }
}

pub fn float_mod(a: f64, b: f64) -> f64 {
    let m = a % b;
    if m != 0.0 && (m > 0.0) != (b > 0.0) && !b.is_infinite() {
        m + b
    } else if b.is_infinite() && m != 0.0 && (m > 0.0) != (b > 0.0) {
        b
    } else {
        m
    }
}

pub fn float_floor_div(a: f64, b: f64) -> f64 {
    (a / b).floor()
}

pub fn shift_left(x: i64, n: i64) -> i64 {
    if n <= -64 || n >= 64 {
        0
    } else if n >= 0 {
        ((x as u64) << n) as i64
    } else {
        ((x as u64) >> (-n)) as i64
    }
}

pub fn fmt_g(f: f64, precision: usize, upper: bool, _alt: bool) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.into();
    }
    let p = precision.max(1);
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let e_repr = format!("{:.*e}", p - 1, f);
    let (mant, exp) = e_repr.split_once('e').unwrap_or((&e_repr, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let s = if exp < -4 || exp >= p as i32 {
        let mant = trim_zeros(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{}{:02}", mant, sign, exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{:.*}", decimals, f)).to_string()
    };
    if upper {
        s.to_uppercase()
    } else {
        s
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

pub fn fmt_float(f: f64) -> String {
    let s = fmt_g(f, 14, false, false);
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        s + ".0"
    } else {
        s
    }
}

pub fn str_to_number(s: &[u8]) -> Option<Number> {
    let s = std::str::from_utf8(s).ok()?.trim_matches(|c: char| c.is_ascii_whitespace());
    if s.is_empty() {
        return None;
    }
    let (neg, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let mut v: u64 = 0;
            for b in hex.bytes() {
                v = v.wrapping_mul(16).wrapping_add((b as char).to_digit(16)? as u64);
            }
            let v = v as i64;
            return Some(Number::Int(if neg { v.wrapping_neg() } else { v }));
        }
        return None;
    }
    if body.bytes().all(|b| b.is_ascii_digit()) && !body.is_empty() {
        if let Ok(v) = body.parse::<i64>() {
            return Some(Number::Int(if neg { v.wrapping_neg() } else { v }));
        }
    }
    if body.bytes().any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') {
        return None;
    }
    let f: f64 = body.parse().ok()?;
    Some(Number::Float(if neg { -f } else { f }))
}
