//! `string.format` engine (`lstrlib.c` `str_format`, Lua 5.4.4), producing
//! bytes identical to PUC Lua with glibc's `printf`.
//!
//! The glue implements [`FormatArgs`] over the VM stack and calls [`format`].
//! Argument numbers (`argn`) are Lua argument indices: the format string is
//! argument 1, so the first value formatted is argument 2. The glue turns
//! [`FormatError::Arg`] into `bad argument #argn to 'format' (msg)` and
//! [`FormatError::Msg`] into a plain `luaL_error` message.
//!
//! Supported conversions (as 5.4.4): `%d %i %u %c %o %x %X %a %A %e %E %f %g
//! %G %p %q %s %%`. Note that 5.4.4 rejects `%F` (`invalid conversion '%F' to
//! 'format'`), and so does this engine.

use crate::number::{fmt_a_abs, fmt_e_abs, fmt_f_abs, fmt_g_abs, fmt_nonfinite};

/// A value as seen by `%q` (`addliteral`).
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(Vec<u8>),
    Int(i64),
    Float(f64),
    Nil,
    Bool(bool),
    /// Any other type: error `value has no literal form`.
    Other,
}

/// A `string.format` error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// `bad argument #argn to 'format' (msg)`.
    Arg { argn: usize, msg: String },
    /// A plain error message (`luaL_error`).
    Msg(String),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Arg { argn, msg } => {
                write!(f, "bad argument #{argn} to 'format' ({msg})")
            }
            FormatError::Msg(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for FormatError {}

/// Access to the arguments of `string.format`, implemented by the glue.
/// Each method is called at most once per conversion, in PUC's order, so
/// errors are reported exactly as PUC does.
pub trait FormatArgs {
    /// Total number of arguments, including the format string (`lua_gettop`).
    fn top(&self) -> usize;
    /// `luaL_checkinteger(argn)`: errors `number has no integer
    /// representation`, `number expected, got <type>` (strings convertible to
    /// numbers are accepted).
    fn integer(&mut self, argn: usize) -> Result<i64, FormatError>;
    /// `luaL_checknumber(argn)`.
    fn number(&mut self, argn: usize) -> Result<f64, FormatError>;
    /// `luaL_tolstring(argn)`: `tostring` semantics including `__tostring`
    /// and `__name`.
    fn string(&mut self, argn: usize) -> Result<Vec<u8>, FormatError>;
    /// The value for `%q`.
    fn literal(&mut self, argn: usize) -> Result<Literal, FormatError>;
    /// `lua_topointer(argn)` for `%p`: `None` (printed as `(null)`) for
    /// values that are not objects.
    fn pointer(&mut self, argn: usize) -> Result<Option<usize>, FormatError>;
    /// Longest result allowed ("not enough memory" past it), checked after each
    /// conversion so that many large `%s` cannot build an unbounded buffer.
    fn max_len(&self) -> usize {
        usize::MAX
    }
}

const L_FMTFLAGSF: &[u8] = b"-+ #0";
const L_FMTFLAGSX: &[u8] = b"-#0";
const L_FMTFLAGSI: &[u8] = b"-+ 0";
const L_FMTFLAGSU: &[u8] = b"-0";
const L_FMTFLAGSC: &[u8] = b"-";
const MAX_FORMAT: usize = 32;

fn msg<T>(m: String) -> Result<T, FormatError> {
    Err(FormatError::Msg(m))
}

fn show(form: &[u8]) -> String {
    // PUC prints the spec as a C string: stop at an embedded NUL
    let end = form.iter().position(|&c| c == 0).unwrap_or(form.len());
    String::from_utf8_lossy(&form[..end]).into_owned()
}

/// Parsed conversion specification.
#[derive(Debug, Default, Clone, Copy)]
struct Spec {
    minus: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
}

fn skip2digits(form: &[u8], mut i: usize) -> usize {
    for _ in 0..2 {
        if form.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    i
}

/// `checkformat`: validates `form` ("%...c") against the allowed flags and
/// returns the parsed specification.
fn checkformat(form: &[u8], flags: &[u8], precision: bool) -> Result<Spec, FormatError> {
    let mut i = 1;
    while form.get(i).is_some_and(|c| flags.contains(c)) {
        i += 1;
    }
    if form.get(i) != Some(&b'0') {
        i = skip2digits(form, i);
        if form.get(i) == Some(&b'.') && precision {
            i = skip2digits(form, i + 1);
        }
    }
    if !form.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return msg(format!(
            "invalid conversion specification: '{}'",
            show(form)
        ));
    }
    // parse (now known to be well formed)
    let mut spec = Spec::default();
    let mut j = 1;
    while let Some(&c) = form.get(j) {
        match c {
            b'-' => spec.minus = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' => spec.alt = true,
            b'0' => spec.zero = true,
            _ => break,
        }
        j += 1;
    }
    while let Some(&c) = form.get(j).filter(|c| c.is_ascii_digit()) {
        spec.width = spec.width * 10 + usize::from(c - b'0');
        j += 1;
    }
    if form.get(j) == Some(&b'.') {
        j += 1;
        let mut p = 0;
        while let Some(&c) = form.get(j).filter(|c| c.is_ascii_digit()) {
            p = p * 10 + usize::from(c - b'0');
            j += 1;
        }
        spec.precision = Some(p);
    }
    Ok(spec)
}

/// Appends `sign + prefix + body` padded to the spec's width. Zero padding
/// (when allowed) goes between the prefix and the body.
fn pad(out: &mut Vec<u8>, spec: &Spec, sign: &[u8], prefix: &[u8], body: &[u8], zero_ok: bool) {
    let len = sign.len() + prefix.len() + body.len();
    let fill = spec.width.saturating_sub(len);
    if spec.minus {
        out.extend_from_slice(sign);
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if spec.zero && zero_ok {
        out.extend_from_slice(sign);
        out.extend_from_slice(prefix);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(sign);
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
}

fn format_int(out: &mut Vec<u8>, spec: &Spec, conv: u8, n: i64) {
    let (neg, mag) = match conv {
        b'd' | b'i' => (n < 0, n.unsigned_abs()),
        _ => (false, n as u64),
    };
    let mut digits = match conv {
        b'o' => format!("{mag:o}"),
        b'x' => format!("{mag:x}"),
        b'X' => format!("{mag:X}"),
        _ => mag.to_string(),
    };
    if let Some(p) = spec.precision {
        if p == 0 && mag == 0 {
            digits.clear();
        } else if digits.len() < p {
            digits = format!("{}{}", "0".repeat(p - digits.len()), digits);
        }
    }
    let mut prefix: &[u8] = b"";
    if spec.alt {
        match conv {
            b'o' if !digits.starts_with('0') => digits.insert(0, '0'),
            b'x' if mag != 0 => prefix = b"0x",
            b'X' if mag != 0 => prefix = b"0X",
            _ => {}
        }
    }
    let sign: &[u8] = if neg {
        b"-"
    } else if matches!(conv, b'd' | b'i') && spec.plus {
        b"+"
    } else if matches!(conv, b'd' | b'i') && spec.space {
        b" "
    } else {
        b""
    };
    pad(
        out,
        spec,
        sign,
        prefix,
        digits.as_bytes(),
        spec.precision.is_none(),
    );
}

fn format_float(out: &mut Vec<u8>, spec: &Spec, conv: u8, x: f64) {
    let upper = conv.is_ascii_uppercase();
    let sign: &[u8] = if x.is_sign_negative() {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    };
    if let Some(s) = fmt_nonfinite(x, upper) {
        let body = s.trim_start_matches('-');
        pad(out, spec, sign, b"", body.as_bytes(), false);
        return;
    }
    let a = x.abs();
    let p = spec.precision.unwrap_or(6);
    match conv {
        b'a' | b'A' => {
            let s = fmt_a_abs(a, spec.precision, upper, spec.alt);
            let (prefix, body) = s.split_at(2);
            pad(out, spec, sign, prefix.as_bytes(), body.as_bytes(), true);
        }
        b'e' | b'E' => pad(
            out,
            spec,
            sign,
            b"",
            fmt_e_abs(a, p, upper, spec.alt).as_bytes(),
            true,
        ),
        b'f' => pad(
            out,
            spec,
            sign,
            b"",
            fmt_f_abs(a, p, spec.alt).as_bytes(),
            true,
        ),
        _ => pad(
            out,
            spec,
            sign,
            b"",
            fmt_g_abs(a, p, upper, spec.alt).as_bytes(),
            true,
        ),
    }
}

/// `addquoted`: a string in Lua-readable form.
pub fn add_quoted(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for (i, &c) in s.iter().enumerate() {
        if c == b'"' || c == b'\\' || c == b'\n' {
            out.push(b'\\');
            out.push(c);
        } else if c.is_ascii_control() {
            // Written digit by digit: `format!` per byte made `%q` of a long binary
            // string take seconds.
            let next_digit = s.get(i + 1).is_some_and(u8::is_ascii_digit);
            out.push(b'\\');
            if next_digit || c >= 100 {
                out.push(b'0' + c / 100);
            }
            if next_digit || c >= 10 {
                out.push(b'0' + c / 10 % 10);
            }
            out.push(b'0' + c % 10);
        } else {
            out.push(c);
        }
    }
    out.push(b'"');
}

/// `addliteral`: the `%q` output for a value.
pub fn add_literal(out: &mut Vec<u8>, v: &Literal, argn: usize) -> Result<(), FormatError> {
    match v {
        Literal::Str(s) => add_quoted(out, s),
        Literal::Int(i) => {
            let s = if *i == i64::MIN {
                format!("0x{:x}", *i as u64)
            } else {
                i.to_string()
            };
            out.extend_from_slice(s.as_bytes());
        }
        Literal::Float(f) => {
            let s = if *f == f64::INFINITY {
                "1e9999".to_string()
            } else if *f == f64::NEG_INFINITY {
                "-1e9999".to_string()
            } else if f.is_nan() {
                "(0/0)".to_string()
            } else {
                let body = fmt_a_abs(f.abs(), None, false, false);
                if f.is_sign_negative() {
                    format!("-{body}")
                } else {
                    body
                }
            };
            out.extend_from_slice(s.as_bytes());
        }
        Literal::Nil => out.extend_from_slice(b"nil"),
        Literal::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Literal::Other => {
            return Err(FormatError::Arg {
                argn,
                msg: "value has no literal form".into(),
            })
        }
    }
    Ok(())
}

/// `string.format(fmt, ...)`: formats the arguments provided by `args`.
pub fn format(fmt: &[u8], args: &mut dyn FormatArgs) -> Result<Vec<u8>, FormatError> {
    let top = args.top();
    let mut arg = 1usize;
    let mut out = Vec::with_capacity(fmt.len());
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        i += 1;
        if c != b'%' {
            out.push(c);
            continue;
        }
        if fmt.get(i) == Some(&b'%') {
            out.push(b'%');
            i += 1;
            continue;
        }
        arg += 1;
        if out.len() > args.max_len() {
            return msg("not enough memory".into());
        }
        if arg > top {
            return Err(FormatError::Arg {
                argn: arg,
                msg: "no value".into(),
            });
        }
        // getformat: span flags, digits and '.', then the conversion char
        let start = i;
        while fmt.get(i).is_some_and(|c| b"-+ #0123456789.".contains(c)) {
            i += 1;
        }
        let span = i - start;
        if span + 1 >= MAX_FORMAT - 10 {
            return msg("invalid format (too long)".into());
        }
        let conv = fmt.get(i).copied().unwrap_or(0);
        let mut form = Vec::with_capacity(span + 2);
        form.push(b'%');
        form.extend_from_slice(&fmt[start..i]);
        if i < fmt.len() {
            form.push(conv);
            i += 1;
        }
        match conv {
            b'c' => {
                let spec = checkformat(&form, L_FMTFLAGSC, false)?;
                let n = args.integer(arg)?;
                pad(&mut out, &spec, b"", b"", &[n as u8], false);
            }
            b'd' | b'i' | b'u' | b'o' | b'x' | b'X' => {
                let flags = match conv {
                    b'd' | b'i' => L_FMTFLAGSI,
                    b'u' => L_FMTFLAGSU,
                    _ => L_FMTFLAGSX,
                };
                let n = args.integer(arg)?;
                let spec = checkformat(&form, flags, true)?;
                format_int(&mut out, &spec, conv, n);
            }
            b'a' | b'A' => {
                let spec = checkformat(&form, L_FMTFLAGSF, true)?;
                let x = args.number(arg)?;
                format_float(&mut out, &spec, conv, x);
            }
            b'e' | b'E' | b'f' | b'g' | b'G' => {
                let x = args.number(arg)?;
                let spec = checkformat(&form, L_FMTFLAGSF, true)?;
                format_float(&mut out, &spec, conv, x);
            }
            b'p' => {
                let p = args.pointer(arg)?;
                let spec = checkformat(&form, L_FMTFLAGSC, false)?;
                let body = match p {
                    Some(p) => format!("{p:#x}"),
                    None => "(null)".to_string(),
                };
                pad(&mut out, &spec, b"", b"", body.as_bytes(), false);
            }
            b'q' => {
                if form.len() > 2 {
                    return msg("specifier '%q' cannot have modifiers".into());
                }
                let v = args.literal(arg)?;
                add_literal(&mut out, &v, arg)?;
            }
            b's' => {
                let s = args.string(arg)?;
                if form.len() == 2 {
                    out.extend_from_slice(&s);
                } else {
                    if s.contains(&0) {
                        return Err(FormatError::Arg {
                            argn: arg,
                            msg: "string contains zeros".into(),
                        });
                    }
                    let spec = checkformat(&form, L_FMTFLAGSC, true)?;
                    let body = match spec.precision {
                        Some(p) => &s[..s.len().min(p)],
                        None => &s[..],
                    };
                    pad(&mut out, &spec, b"", b"", body, false);
                }
            }
            _ => {
                return msg(format!("invalid conversion '{}' to 'format'", show(&form)));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug)]
    enum V {
        I(i64),
        F(f64),
        S(&'static str),
        B(Vec<u8>),
        Nil,
        Bool(bool),
        Table,
    }

    struct Args(Vec<V>);

    fn tname(v: &V) -> &'static str {
        match v {
            V::I(_) | V::F(_) => "number",
            V::S(_) | V::B(_) => "string",
            V::Nil => "nil",
            V::Bool(_) => "boolean",
            V::Table => "table",
        }
    }

    impl Args {
        fn get(&self, argn: usize) -> &V {
            &self.0[argn - 2]
        }
        fn num(&self, argn: usize) -> Result<crate::number::Number, FormatError> {
            use crate::number::{str_to_number, Number};
            let v = self.get(argn);
            let bad = || FormatError::Arg {
                argn,
                msg: format!("number expected, got {}", tname(v)),
            };
            match v {
                V::I(i) => Ok(Number::Int(*i)),
                V::F(f) => Ok(Number::Float(*f)),
                V::S(s) => str_to_number(s.as_bytes()).ok_or_else(bad),
                _ => Err(bad()),
            }
        }
    }

    impl FormatArgs for Args {
        fn top(&self) -> usize {
            self.0.len() + 1
        }
        fn integer(&mut self, argn: usize) -> Result<i64, FormatError> {
            use crate::number::{float_to_int_exact, Number};
            match self.num(argn)? {
                Number::Int(i) => Ok(i),
                Number::Float(f) => float_to_int_exact(f).ok_or(FormatError::Arg {
                    argn,
                    msg: "number has no integer representation".into(),
                }),
            }
        }
        fn number(&mut self, argn: usize) -> Result<f64, FormatError> {
            use crate::number::Number;
            Ok(match self.num(argn)? {
                Number::Int(i) => i as f64,
                Number::Float(f) => f,
            })
        }
        fn string(&mut self, argn: usize) -> Result<Vec<u8>, FormatError> {
            Ok(match self.get(argn) {
                V::I(i) => i.to_string().into_bytes(),
                V::F(f) => crate::number::fmt_float(*f).into_bytes(),
                V::S(s) => s.as_bytes().to_vec(),
                V::B(b) => b.clone(),
                V::Nil => b"nil".to_vec(),
                V::Bool(b) => b.to_string().into_bytes(),
                V::Table => b"table: 0x1234".to_vec(),
            })
        }
        fn literal(&mut self, argn: usize) -> Result<Literal, FormatError> {
            Ok(match self.get(argn) {
                V::I(i) => Literal::Int(*i),
                V::F(f) => Literal::Float(*f),
                V::S(s) => Literal::Str(s.as_bytes().to_vec()),
                V::B(b) => Literal::Str(b.clone()),
                V::Nil => Literal::Nil,
                V::Bool(b) => Literal::Bool(*b),
                V::Table => Literal::Other,
            })
        }
        fn pointer(&mut self, argn: usize) -> Result<Option<usize>, FormatError> {
            Ok(match self.get(argn) {
                V::Table => Some(0x55d0c0ffee00),
                _ => None,
            })
        }
    }

    fn f(fmt: &str, args: Vec<V>) -> String {
        match format(fmt.as_bytes(), &mut Args(args)) {
            Ok(v) => String::from_utf8_lossy(&v).into_owned(),
            Err(e) => format!("ERR {e}"),
        }
    }

    use V::*;

    #[test]
    fn spec_errors() {
        // all checked with lua5.4 (5.4.4); 'format' instead of 'string.format'
        // because the glue chooses the function name.
        let cases: &[(&str, &str)] = &[
            ("%123d", "ERR invalid conversion specification: '%123d'"),
            ("%y", "ERR invalid conversion '%y' to 'format'"),
            (
                "%10.123f",
                "ERR invalid conversion specification: '%10.123f'",
            ),
            ("%-+5d", "+1   "),
            ("%#d", "ERR invalid conversion specification: '%#d'"),
            ("%05s", "ERR invalid conversion specification: '%05s'"),
            ("%.3c", "ERR invalid conversion specification: '%.3c'"),
            ("%0100d", "ERR invalid conversion specification: '%0100d'"),
            ("% 5u", "ERR invalid conversion specification: '% 5u'"),
            ("%lld", "ERR invalid conversion '%l' to 'format'"),
            ("%q5", "15"),
            ("%5q", "ERR specifier '%q' cannot have modifiers"),
            ("%.3q", "ERR specifier '%q' cannot have modifiers"),
            ("%F", "ERR invalid conversion '%F' to 'format'"),
            ("%", "ERR invalid conversion '%' to 'format'"),
            ("%.", "ERR invalid conversion '%.' to 'format'"),
            ("%-----5d", "1    "),
            ("%--------------------d", "1"),
            ("%---------------------d", "ERR invalid format (too long)"),
            (
                "%11111111111111111111d",
                "ERR invalid conversion specification: '%11111111111111111111d'",
            ),
            ("%1.1.1d", "ERR invalid conversion specification: '%1.1.1d'"),
            ("%..d", "ERR invalid conversion specification: '%..d'"),
            (
                "%#5.3.3p",
                "ERR invalid conversion specification: '%#5.3.3p'",
            ),
            (
                "%#5.3.3c",
                "ERR invalid conversion specification: '%#5.3.3c'",
            ),
            (
                "%#5.3.3a",
                "ERR invalid conversion specification: '%#5.3.3a'",
            ),
        ];
        for &(fmt, exp) in cases {
            assert_eq!(f(fmt, vec![I(1)]), exp, "{fmt}");
        }
        assert_eq!(
            f("%d", vec![]),
            "ERR bad argument #2 to 'format' (no value)"
        );
        assert_eq!(
            f("abc%", vec![]),
            "ERR bad argument #2 to 'format' (no value)"
        );
        assert_eq!(
            f("%d %d", vec![I(1)]),
            "ERR bad argument #3 to 'format' (no value)"
        );
        assert_eq!(
            f("%d", vec![F(3.5)]),
            "ERR bad argument #2 to 'format' (number has no integer representation)"
        );
        assert_eq!(f("%d", vec![S("3.0")]), "3");
        assert_eq!(f("%d", vec![F(3.0)]), "3");
        assert_eq!(
            f("%d", vec![S("x")]),
            "ERR bad argument #2 to 'format' (number expected, got string)"
        );
        assert_eq!(
            f("%q", vec![Table]),
            "ERR bad argument #2 to 'format' (value has no literal form)"
        );
        assert_eq!(
            f("%10s", vec![B(b"a\0b".to_vec())]),
            "ERR bad argument #2 to 'format' (string contains zeros)"
        );
        assert_eq!(f("%s", vec![B(b"a\0b".to_vec())]), "a\0b");
        // argument checked before/after the spec, as PUC
        let x = || vec![S("x")];
        assert_eq!(
            f("%#5.3.3f", x()),
            "ERR bad argument #2 to 'format' (number expected, got string)"
        );
        assert_eq!(
            f("%#5.3.3d", x()),
            "ERR bad argument #2 to 'format' (number expected, got string)"
        );
        assert_eq!(
            f("%#5.3.3s", vec![B(b"x\0".to_vec())]),
            "ERR bad argument #2 to 'format' (string contains zeros)"
        );
        assert_eq!(
            f("%#5.3.3x", vec![F(1.5)]),
            "ERR bad argument #2 to 'format' (number has no integer representation)"
        );
    }

    #[test]
    fn integers_and_strings() {
        assert_eq!(
            f(
                "%010.3f|%-010d|%+05d|% d|%x|%X|%o|%c|%5c|%-5c|",
                vec![F(-3.14158), I(42), I(42), I(42), I(-1), I(255), I(-1), I(65), I(66), I(67)]
            ),
            "-00003.142|42        |+0042| 42|ffffffffffffffff|FF|1777777777777777777777|A|    B|C    |"
        );
        assert_eq!(
            f(
                "%i|%u|%5.3d|%.0d|%-5x|%05X|%.3o",
                vec![I(5), I(7), I(5), I(0), I(255), I(255), I(8)]
            ),
            "5|7|  005||ff   |000FF|010"
        );
        assert_eq!(
            f(
                "%0-5d|%-05d|%00005d|%+ d|% +d",
                vec![I(1), I(2), I(3), I(4), I(5)]
            ),
            "1    |2    |00003|+4|+5"
        );
        assert_eq!(f("%5.2d|%-5.2x", vec![I(-1), I(10)]), "  -01|0a   ");
        assert_eq!(
            f(
                "%#o|%#x|%#X|%#o|%#.0o|%#x",
                vec![I(8), I(255), I(255), I(0), I(0), I(0)]
            ),
            "010|0xff|0XFF|0|0|0"
        );
        assert_eq!(f("%x", vec![F(-1.0)]), "ffffffffffffffff");
        assert_eq!(f("%c", vec![S("65")]), "A");
        assert_eq!(f("%c", vec![I(256 + 65)]), "A");
        assert_eq!(f("%c", vec![I(0)]), "\0");
        assert_eq!(f("%d", vec![I(i64::MIN)]), "-9223372036854775808");
        assert_eq!(
            f(
                "%.3s|%5.2s|%-5s|%.0s|%5s",
                vec![S("abcdef"), S("abc"), S("ab"), S("x"), S("toolong")]
            ),
            "abc|   ab|ab   ||toolong"
        );
        assert_eq!(
            f(
                "%5s|%-5s|%.1s|%s",
                vec![Bool(true), Nil, Bool(false), I(12)]
            ),
            " true|nil  |f|12"
        );
        assert_eq!(f("%s %s", vec![I(1), F(2.0)]), "1 2.0");
        assert_eq!(
            f("%-5p|%p|%p", vec![F(1.5), Nil, Table]),
            "(null)|(null)|0x55d0c0ffee00"
        );
        assert_eq!(
            f("%.d|%5.f|%.s|", vec![I(1), F(2.5), S("abc")]),
            "1|    2||"
        );
        assert_eq!(f("100%% %s%%", vec![S("x")]), "100% x%");
        let long = "y".repeat(150);
        assert_eq!(
            f("%5s", vec![S(Box::leak(long.clone().into_boxed_str()))]),
            long
        );
        assert_eq!(
            f("%.99s", vec![S(Box::leak(long.clone().into_boxed_str()))]).len(),
            99
        );
    }

    #[test]
    fn floats() {
        assert_eq!(
            f(
                "%.0f %.0f %.0f %5.1f|%-8.3e|%+.3e|%#.0e|%#.0f|%g|%g|%g|%#g|%.0g|%G",
                vec![
                    F(0.5),
                    F(1.5),
                    F(2.5),
                    F(3.14158),
                    F(1234.5),
                    F(1234.5),
                    F(3.0),
                    F(3.0),
                    F(1e-5),
                    F(123456789.0),
                    F(0.0001),
                    F(1.0),
                    F(0.5),
                    F(1e-20)
                ]
            ),
            "0 2 2   3.1|1.234e+03|+1.234e+03|3.e+00|3.|1e-05|1.23457e+08|0.0001|1.00000|0.5|1E-20"
        );
        let inf = f64::INFINITY;
        let nnan = f64::from_bits(0xfff8000000000000);
        let pnan = f64::from_bits(0x7ff8000000000000);
        assert_eq!(
            f(
                "%5f|%-6f|%06f|%+f|%e|%E|%G|%g|%5.1f|% f",
                vec![
                    F(inf),
                    F(-inf),
                    F(inf),
                    F(inf),
                    F(nnan),
                    F(pnan),
                    F(inf),
                    F(nnan),
                    F(pnan),
                    F(inf)
                ]
            ),
            "  inf|-inf  |   inf|+inf|-nan|NAN|INF|-nan|  nan| inf"
        );
        assert_eq!(
            f(
                "%a|%A|%+a|% a|%#a|%#.0a|%010a|%-12a|",
                vec![I(1), F(nnan), F(inf), I(2), I(1), I(1), F(1.5), F(1.5)]
            ),
            "0x1p+0|-NAN|+inf| 0x1p+1|0x1.p+0|0x1.p+0|0x001.8p+0|0x1.8p+0    |"
        );
        assert_eq!(
            f(
                "%.0a %a %a %.3a %A %a %5.1a",
                vec![
                    F(1.5),
                    F(5e-324),
                    F(0.0),
                    F(1.0 / 3.0),
                    F(255.5),
                    F(-0.0),
                    F(2.5)
                ]
            ),
            "0x2p+0 0x0.0000000000001p-1022 0x0p+0 0x1.555p-2 0X1.FFP+7 -0x0p+0 0x1.4p+1"
        );
        assert_eq!(f("%.99f", vec![F(0.1)]).len(), 101);
        assert_eq!(f("%99.99f", vec![F(1e308)]).len(), 409);
        assert_eq!(
            f("%g|%g|%g|%g|%g|%g|%.3g|%#.3g|%g|%g|%.20g", vec![I(100000), I(1000000), F(1e15), F(0.00001234), F(123.456), F(-0.0), I(1234567), I(1), F(1e300), F(5e-324), F(0.1)]),
            "100000|1e+06|1e+15|1.234e-05|123.456|-0|1.23e+06|1.00|1e+300|4.94066e-324|0.10000000000000000555"
        );
        assert_eq!(f("%f", vec![S("1e2")]), "100.000000");
        assert_eq!(
            f(
                "%5.2f|%-8.2f|%08.2f|%+.2f",
                vec![F(-1.005), F(2.675), F(-2.5), F(0.125)]
            ),
            "-1.00|2.67    |-0002.50|+0.12"
        );
    }

    #[test]
    fn quoted() {
        assert_eq!(
            f("%q", vec![B(b"a\0b\x001\r\n\t\"\\\x7f\x80\xffz".to_vec())]).into_bytes(),
            b"\"a\\0b\\0001\\13\\\n\\9\\\"\\\\\\127\xef\xbf\xbd\xef\xbf\xbdz\"".to_vec()
        );
        let mut out = Vec::new();
        add_quoted(&mut out, b"\x80\xff\x1f9\x1f");
        assert_eq!(out, b"\"\x80\xff\\0319\\31\"");
        assert_eq!(
            f("%q %q %q %q %q %q %q %q %q", vec![F(f64::INFINITY), F(f64::NEG_INFINITY), F(f64::NAN), F(1.5), F(1e100), F(0.1), F(3.0), I(i64::MIN), F(-0.0)]),
            "1e9999 -1e9999 (0/0) 0x1.8p+0 0x1.249ad2594c37dp+332 0x1.999999999999ap-4 0x1.8p+1 0x8000000000000000 -0x0p+0"
        );
        assert_eq!(
            f(
                "%q %q %q %q %q %q",
                vec![
                    I(255),
                    I(-1),
                    Bool(true),
                    Nil,
                    F(1e15),
                    F(9.223_372_036_854_776e18)
                ]
            ),
            "255 -1 true nil 0x1.c6bf52634p+49 0x1p+63"
        );
    }
}
