//! `string.pack`, `string.unpack` and `string.packsize` engines (`lstrlib.c`
//! 5.4.4), independent of the VM.
//!
//! Argument numbers are Lua argument indices (the format is argument 1, the
//! first packed value is argument 2; for `unpack` the data string is argument
//! 2 and the initial position argument 3). The glue turns
//! [`PackError::Arg`] into `bad argument #argn to 'pack' (msg)` (with the
//! right function name), [`PackError::Msg`] into a plain `luaL_error`, and
//! [`PackError::TooLarge`] into a memory error.
//!
//! The format string is used up to its first `\0` byte, like PUC (which reads
//! it as a C string). Native sizes and endianness are those of x86-64 Linux
//! (little endian, `int` 4, `long` 8, `size_t` 8, max alignment 8).

use crate::stdlib::pattern::posrelat_i;

/// A value read by `unpack`.
#[derive(Debug, Clone, PartialEq)]
pub enum PackValue {
    Int(i64),
    Float(f64),
    Str(Vec<u8>),
}

/// A pack/unpack/packsize error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackError {
    /// `bad argument #argn to '<fn>' (msg)`.
    Arg { argn: usize, msg: String },
    /// A plain error message (`luaL_error`).
    Msg(String),
    /// The result would exceed the caller's size limit.
    TooLarge,
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackError::Arg { argn, msg } => write!(f, "bad argument #{argn} ({msg})"),
            PackError::Msg(m) => f.write_str(m),
            PackError::TooLarge => f.write_str("not enough memory"),
        }
    }
}

impl std::error::Error for PackError {}

/// Access to the values packed by `string.pack`, implemented by the glue.
pub trait PackArgs {
    /// `luaL_checkinteger(argn)` (errors `number expected, got <type>`,
    /// `number has no integer representation`; numeric strings accepted).
    fn integer(&mut self, argn: usize) -> Result<i64, PackError>;
    /// `luaL_checknumber(argn)`.
    fn number(&mut self, argn: usize) -> Result<f64, PackError>;
    /// `luaL_checklstring(argn)` (numbers are converted to strings; other
    /// types give `string expected, got <type>`).
    fn string(&mut self, argn: usize) -> Result<Vec<u8>, PackError>;
}

const MAXINTSIZE: usize = 16;
const SZINT: usize = 8;
const NATIVE_MAXALIGN: usize = 8;
/// `MAXSIZE` of lstrlib 5.4 (`INT_MAX` on 64-bit platforms).
const MAXSIZE: usize = i32::MAX as usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KOption {
    Int,
    Uint,
    Float,
    Number,
    Double,
    Char,
    String,
    Zstr,
    Padding,
    Paddalign,
    Nop,
}

struct Header {
    islittle: bool,
    maxalign: usize,
}

struct Fmt<'a> {
    f: &'a [u8],
    i: usize,
}

impl Fmt<'_> {
    fn new(f: &[u8]) -> Fmt<'_> {
        let end = f.iter().position(|&c| c == 0).unwrap_or(f.len());
        Fmt { f: &f[..end], i: 0 }
    }
    fn peek(&self) -> Option<u8> {
        self.f.get(self.i).copied()
    }
    fn at_end(&self) -> bool {
        self.i >= self.f.len()
    }

    fn getnum(&mut self, df: usize) -> usize {
        if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return df;
        }
        let mut a = 0usize;
        loop {
            a = a * 10 + usize::from(self.f[self.i] - b'0');
            self.i += 1;
            if !(self.peek().is_some_and(|c| c.is_ascii_digit()) && a <= (MAXSIZE - 9) / 10) {
                return a;
            }
        }
    }

    fn getnumlimit(&mut self, df: usize) -> Result<usize, PackError> {
        let sz = self.getnum(df);
        if sz > MAXINTSIZE || sz == 0 {
            return Err(PackError::Msg(format!(
                "integral size ({sz}) out of limits [1,{MAXINTSIZE}]"
            )));
        }
        Ok(sz)
    }

    /// `getoption`: returns the option and its size.
    fn getoption(&mut self, h: &mut Header) -> Result<(KOption, usize), PackError> {
        let Some(opt) = self.peek() else {
            return Ok((KOption::Nop, 0));
        };
        self.i += 1;
        Ok(match opt {
            b'b' => (KOption::Int, 1),
            b'B' => (KOption::Uint, 1),
            b'h' => (KOption::Int, 2),
            b'H' => (KOption::Uint, 2),
            b'l' | b'j' => (KOption::Int, 8),
            b'L' | b'J' | b'T' => (KOption::Uint, 8),
            b'f' => (KOption::Float, 4),
            b'n' => (KOption::Number, 8),
            b'd' => (KOption::Double, 8),
            b'i' => (KOption::Int, self.getnumlimit(4)?),
            b'I' => (KOption::Uint, self.getnumlimit(4)?),
            b's' => (KOption::String, self.getnumlimit(8)?),
            b'c' => {
                if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    return Err(PackError::Msg("missing size for format option 'c'".into()));
                }
                (KOption::Char, self.getnum(0))
            }
            b'z' => (KOption::Zstr, 0),
            b'x' => (KOption::Padding, 1),
            b'X' => (KOption::Paddalign, 0),
            b' ' => (KOption::Nop, 0),
            b'<' => {
                h.islittle = true;
                (KOption::Nop, 0)
            }
            b'>' => {
                h.islittle = false;
                (KOption::Nop, 0)
            }
            b'=' => {
                h.islittle = true;
                (KOption::Nop, 0)
            }
            b'!' => {
                h.maxalign = self.getnumlimit(NATIVE_MAXALIGN)?;
                (KOption::Nop, 0)
            }
            c => {
                return Err(PackError::Msg(format!(
                    "invalid format option '{}'",
                    String::from_utf8_lossy(&[c])
                )))
            }
        })
    }

    /// `getdetails`: option, size and alignment padding at `totalsize`.
    fn getdetails(
        &mut self,
        h: &mut Header,
        totalsize: usize,
    ) -> Result<(KOption, usize, usize), PackError> {
        let (opt, size) = self.getoption(h)?;
        let mut align = size;
        if opt == KOption::Paddalign {
            let bad = || PackError::Arg {
                argn: 1,
                msg: "invalid next option for option 'X'".into(),
            };
            if self.at_end() {
                return Err(bad());
            }
            let (next, nsize) = self.getoption(h)?;
            if next == KOption::Char || nsize == 0 {
                return Err(bad());
            }
            align = nsize;
        }
        let ntoalign = if align <= 1 || opt == KOption::Char {
            0
        } else {
            if align > h.maxalign {
                align = h.maxalign;
            }
            if !align.is_power_of_two() {
                return Err(PackError::Arg {
                    argn: 1,
                    msg: "format asks for alignment not power of 2".into(),
                });
            }
            (align - (totalsize & (align - 1))) & (align - 1)
        };
        Ok((opt, size, ntoalign))
    }
}

fn header() -> Header {
    Header {
        islittle: true,
        maxalign: 1,
    }
}

fn packint(out: &mut Vec<u8>, n: u64, islittle: bool, size: usize, neg: bool) {
    let mut buf = [0u8; MAXINTSIZE];
    let mut v = n;
    for b in buf.iter_mut().take(size.min(SZINT)) {
        *b = v as u8;
        v >>= 8;
    }
    if neg {
        for b in buf.iter_mut().take(size).skip(SZINT) {
            *b = 0xff;
        }
    }
    let bytes = &mut buf[..size];
    if !islittle {
        bytes.reverse();
    }
    out.extend_from_slice(bytes);
}

fn copy_endian(out: &mut Vec<u8>, le_bytes: &[u8], islittle: bool) {
    if islittle {
        out.extend_from_slice(le_bytes);
    } else {
        out.extend(le_bytes.iter().rev());
    }
}

/// `string.pack(fmt, ...)`. `max_len` bounds the result size (e.g. the VM's
/// maximum string size); exceeding it gives [`PackError::TooLarge`] before
/// any large allocation.
pub fn pack(fmt: &[u8], args: &mut dyn PackArgs, max_len: usize) -> Result<Vec<u8>, PackError> {
    let mut f = Fmt::new(fmt);
    let mut h = header();
    let mut out = Vec::new();
    let mut arg = 1usize;
    let mut totalsize = 0usize;
    let reserve = |out: &mut Vec<u8>, extra: usize| -> Result<(), PackError> {
        match out.len().checked_add(extra) {
            Some(n) if n <= max_len => Ok(()),
            _ => Err(PackError::TooLarge),
        }
    };
    while !f.at_end() {
        let (opt, size, ntoalign) = f.getdetails(&mut h, totalsize)?;
        totalsize = totalsize.wrapping_add(ntoalign).wrapping_add(size);
        reserve(&mut out, ntoalign)?;
        out.resize(out.len() + ntoalign, 0);
        arg += 1;
        match opt {
            KOption::Int => {
                let n = args.integer(arg)?;
                if size < SZINT {
                    let lim = 1i64 << (size * 8 - 1);
                    if !(-lim <= n && n < lim) {
                        return Err(PackError::Arg {
                            argn: arg,
                            msg: "integer overflow".into(),
                        });
                    }
                }
                reserve(&mut out, size)?;
                packint(&mut out, n as u64, h.islittle, size, n < 0);
            }
            KOption::Uint => {
                let n = args.integer(arg)?;
                if size < SZINT && (n as u64) >= (1u64 << (size * 8)) {
                    return Err(PackError::Arg {
                        argn: arg,
                        msg: "unsigned overflow".into(),
                    });
                }
                reserve(&mut out, size)?;
                packint(&mut out, n as u64, h.islittle, size, false);
            }
            KOption::Float => {
                let x = args.number(arg)? as f32;
                reserve(&mut out, 4)?;
                copy_endian(&mut out, &x.to_le_bytes(), h.islittle);
            }
            KOption::Number | KOption::Double => {
                let x = args.number(arg)?;
                reserve(&mut out, 8)?;
                copy_endian(&mut out, &x.to_le_bytes(), h.islittle);
            }
            KOption::Char => {
                let s = args.string(arg)?;
                if s.len() > size {
                    return Err(PackError::Arg {
                        argn: arg,
                        msg: "string longer than given size".into(),
                    });
                }
                reserve(&mut out, size)?;
                out.extend_from_slice(&s);
                out.resize(out.len() + (size - s.len()), 0);
            }
            KOption::String => {
                let s = args.string(arg)?;
                if !(size >= 8 || (s.len() as u64) < (1u64 << (size * 8))) {
                    return Err(PackError::Arg {
                        argn: arg,
                        msg: "string length does not fit in given size".into(),
                    });
                }
                reserve(&mut out, size.saturating_add(s.len()))?;
                packint(&mut out, s.len() as u64, h.islittle, size, false);
                out.extend_from_slice(&s);
                totalsize = totalsize.wrapping_add(s.len());
            }
            KOption::Zstr => {
                let s = args.string(arg)?;
                if s.contains(&0) {
                    return Err(PackError::Arg {
                        argn: arg,
                        msg: "string contains zeros".into(),
                    });
                }
                reserve(&mut out, s.len().saturating_add(1))?;
                out.extend_from_slice(&s);
                out.push(0);
                totalsize = totalsize.wrapping_add(s.len() + 1);
            }
            KOption::Padding => {
                reserve(&mut out, 1)?;
                out.push(0);
                arg -= 1;
            }
            KOption::Paddalign | KOption::Nop => arg -= 1,
        }
    }
    Ok(out)
}

/// `string.packsize(fmt)`.
pub fn packsize(fmt: &[u8]) -> Result<i64, PackError> {
    let mut f = Fmt::new(fmt);
    let mut h = header();
    let mut totalsize = 0usize;
    while !f.at_end() {
        let (opt, size, ntoalign) = f.getdetails(&mut h, totalsize)?;
        if opt == KOption::String || opt == KOption::Zstr {
            return Err(PackError::Arg {
                argn: 1,
                msg: "variable-length format".into(),
            });
        }
        let size = size + ntoalign;
        if totalsize > MAXSIZE.saturating_sub(size) || size > MAXSIZE {
            return Err(PackError::Arg {
                argn: 1,
                msg: "format result too large".into(),
            });
        }
        totalsize += size;
    }
    Ok(totalsize as i64)
}

fn unpackint(s: &[u8], islittle: bool, size: usize, issigned: bool) -> Result<i64, PackError> {
    let at = |i: usize| s[if islittle { i } else { size - 1 - i }];
    let limit = size.min(SZINT);
    let mut res: u64 = 0;
    for i in (0..limit).rev() {
        res = (res << 8) | u64::from(at(i));
    }
    if size < SZINT {
        if issigned {
            let mask = 1u64 << (size * 8 - 1);
            res = (res ^ mask).wrapping_sub(mask);
        }
    } else if size > SZINT {
        let mask = if !issigned || (res as i64) >= 0 {
            0
        } else {
            0xff
        };
        for i in limit..size {
            if at(i) != mask {
                return Err(PackError::Msg(format!(
                    "{size}-byte integer does not fit into Lua Integer"
                )));
            }
        }
    }
    Ok(res as i64)
}

fn read_float<const N: usize>(s: &[u8], islittle: bool) -> [u8; N] {
    let mut b = [0u8; N];
    b.copy_from_slice(&s[..N]);
    if !islittle {
        b.reverse();
    }
    b
}

/// `string.unpack(fmt, data, init)`: `init` is the raw Lua argument
/// (default 1). Returns the values and the next position (1-based).
pub fn unpack(fmt: &[u8], data: &[u8], init: i64) -> Result<(Vec<PackValue>, i64), PackError> {
    let ld = data.len();
    let pos = posrelat_i(init, ld) - 1;
    if pos > ld as u64 {
        return Err(PackError::Arg {
            argn: 3,
            msg: "initial position out of string".into(),
        });
    }
    let mut pos = pos as usize;
    let mut f = Fmt::new(fmt);
    let mut h = header();
    let mut vals = Vec::new();
    let too_short = || PackError::Arg {
        argn: 2,
        msg: "data string too short".into(),
    };
    while !f.at_end() {
        let (opt, size, ntoalign) = f.getdetails(&mut h, pos)?;
        if ntoalign + size > ld - pos {
            return Err(too_short());
        }
        pos += ntoalign;
        let s = &data[pos..];
        match opt {
            KOption::Int | KOption::Uint => {
                vals.push(PackValue::Int(unpackint(
                    s,
                    h.islittle,
                    size,
                    opt == KOption::Int,
                )?));
            }
            KOption::Float => {
                let x = f32::from_le_bytes(read_float::<4>(s, h.islittle));
                vals.push(PackValue::Float(f64::from(x)));
            }
            KOption::Number | KOption::Double => {
                let x = f64::from_le_bytes(read_float::<8>(s, h.islittle));
                vals.push(PackValue::Float(x));
            }
            KOption::Char => vals.push(PackValue::Str(s[..size].to_vec())),
            KOption::String => {
                let len = unpackint(s, h.islittle, size, false)? as u64;
                if len > (ld - pos - size) as u64 {
                    return Err(too_short());
                }
                let len = len as usize;
                vals.push(PackValue::Str(s[size..size + len].to_vec()));
                pos += len;
            }
            KOption::Zstr => {
                let Some(len) = s.iter().position(|&c| c == 0) else {
                    return Err(PackError::Arg {
                        argn: 2,
                        msg: "unfinished string for format 'z'".into(),
                    });
                };
                vals.push(PackValue::Str(s[..len].to_vec()));
                pos += len + 1;
            }
            KOption::Paddalign | KOption::Padding | KOption::Nop => {}
        }
        pos += size;
    }
    Ok((vals, pos as i64 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone)]
    enum V {
        I(i64),
        F(f64),
        S(&'static [u8]),
        Nil,
        Table,
    }
    use V::*;

    struct Args(Vec<V>);

    impl Args {
        fn get(&self, argn: usize) -> V {
            self.0.get(argn - 2).cloned().unwrap_or(Nil)
        }
        fn tname(v: &V) -> &'static str {
            match v {
                I(_) | F(_) => "number",
                S(_) => "string",
                Nil => "nil",
                Table => "table",
            }
        }
    }

    impl PackArgs for Args {
        fn integer(&mut self, argn: usize) -> Result<i64, PackError> {
            match self.get(argn) {
                I(i) => Ok(i),
                F(f) => crate::number::float_to_int_exact(f).ok_or(PackError::Arg {
                    argn,
                    msg: "number has no integer representation".into(),
                }),
                v => Err(PackError::Arg {
                    argn,
                    msg: format!("number expected, got {}", Self::tname(&v)),
                }),
            }
        }
        fn number(&mut self, argn: usize) -> Result<f64, PackError> {
            match self.get(argn) {
                I(i) => Ok(i as f64),
                F(f) => Ok(f),
                v => Err(PackError::Arg {
                    argn,
                    msg: format!("number expected, got {}", Self::tname(&v)),
                }),
            }
        }
        fn string(&mut self, argn: usize) -> Result<Vec<u8>, PackError> {
            match self.get(argn) {
                I(i) => Ok(i.to_string().into_bytes()),
                S(s) => Ok(s.to_vec()),
                v => Err(PackError::Arg {
                    argn,
                    msg: format!("string expected, got {}", Self::tname(&v)),
                }),
            }
        }
    }

    fn p(fmt: &str, args: Vec<V>) -> String {
        match pack(fmt.as_bytes(), &mut Args(args), 1 << 30) {
            Ok(v) => v.iter().map(|b| format!("{b:02x}")).collect(),
            Err(e) => format!("ERR {e}"),
        }
    }

    fn u(fmt: &str, data: &[u8], init: i64) -> String {
        match unpack(fmt.as_bytes(), data, init) {
            Ok((vals, next)) => {
                let mut parts: Vec<String> = vals
                    .iter()
                    .map(|v| match v {
                        PackValue::Int(i) => i.to_string(),
                        PackValue::Float(f) => crate::number::fmt_float(*f),
                        PackValue::Str(s) => String::from_utf8_lossy(s).into_owned(),
                    })
                    .collect();
                parts.push(next.to_string());
                parts.join(",")
            }
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn pack_cases() {
        // all expected values from lua5.4 (5.4.4)
        let x = "ERR bad argument #1 (invalid next option for option 'X')";
        let cases: Vec<(&str, Vec<V>, &str)> = vec![
            (
                "i17",
                vec![I(1)],
                "ERR integral size (17) out of limits [1,16]",
            ),
            (
                "i0",
                vec![I(1)],
                "ERR integral size (0) out of limits [1,16]",
            ),
            ("y", vec![I(1)], "ERR invalid format option 'y'"),
            (
                "!3i4",
                vec![I(1)],
                "ERR bad argument #1 (format asks for alignment not power of 2)",
            ),
            (
                "!4i3",
                vec![I(1)],
                "ERR bad argument #1 (format asks for alignment not power of 2)",
            ),
            ("X", vec![I(1)], x),
            ("Xc1", vec![I(1)], x),
            ("X!", vec![I(1)], x),
            ("Xz", vec![I(1)], x),
            ("b x X i2 b", vec![I(1), I(2)], x),
            ("c", vec![S(b"a")], "ERR missing size for format option 'c'"),
            (
                "i3",
                vec![I(1 << 23)],
                "ERR bad argument #2 (integer overflow)",
            ),
            ("i3", vec![I(-(1 << 23))], "000080"),
            ("I3", vec![I(-1)], "ERR bad argument #2 (unsigned overflow)"),
            (
                "I3",
                vec![I(1 << 24)],
                "ERR bad argument #2 (unsigned overflow)",
            ),
            (
                "c3",
                vec![S(b"abcd")],
                "ERR bad argument #2 (string longer than given size)",
            ),
            (
                "s1",
                vec![S(&[b'x'; 256])],
                "ERR bad argument #2 (string length does not fit in given size)",
            ),
            (
                "z",
                vec![S(b"a\0b")],
                "ERR bad argument #2 (string contains zeros)",
            ),
            (
                "i",
                vec![Nil],
                "ERR bad argument #2 (number expected, got nil)",
            ),
            (
                "i",
                vec![F(1.5)],
                "ERR bad argument #2 (number has no integer representation)",
            ),
            ("c2", vec![I(5)], "3500"),
            (
                "s",
                vec![Table],
                "ERR bad argument #2 (string expected, got table)",
            ),
            ("<i3", vec![I(-2)], "feffff"),
            (">i3", vec![I(-2)], "fffffe"),
            ("<i16", vec![I(-2)], "feffffffffffffffffffffffffffffff"),
            (">I16", vec![I(7)], "00000000000000000000000000000007"),
            ("<j", vec![I(1)], "0100000000000000"),
            (
                "!8 b d",
                vec![I(1), F(2.5)],
                "01000000000000000000000000000440",
            ),
            ("!<b Xi8 b", vec![I(1), I(2)], "010000000000000002"),
            ("<f", vec![F(1.5)], "0000c03f"),
            (">d", vec![F(-0.0)], "8000000000000000"),
            ("<n", vec![F(f64::INFINITY)], "000000000000f07f"),
            ("c3", vec![S(b"ab")], "616200"),
            ("s2", vec![S(b"hi")], "02006869"),
            ("z", vec![S(b"hi")], "686900"),
            ("bxxb", vec![I(1), I(2)], "01000002"),
            ("= b", vec![I(1)], "01"),
            (
                "<!16 b i16",
                vec![I(1), I(-1)],
                "01000000000000000000000000000000ffffffffffffffffffffffffffffffff",
            ),
            ("!2 i8", vec![I(1)], "0100000000000000"),
            (" < > ", vec![Nil], ""),
            ("i2 c0 b", vec![I(1), S(b""), I(2)], "010002"),
            ("i1\0i1", vec![I(1), I(2)], "01"),
            ("<T", vec![I(5)], "0500000000000000"),
            (
                "<l L h H",
                vec![I(1), I(2), I(3), I(4)],
                "0100000000000000020000000000000003000400",
            ),
            ("b", vec![I(128)], "ERR bad argument #2 (integer overflow)"),
            ("B", vec![I(255)], "ff"),
            ("B", vec![I(-1)], "ERR bad argument #2 (unsigned overflow)"),
            ("i8", vec![I(i64::MIN)], "0000000000000080"),
            ("c2147483647", vec![S(b"")], "ERR invalid format option '7'"),
        ];
        for (fmt, args, exp) in cases {
            assert_eq!(p(fmt, args), exp, "pack({fmt:?})");
        }
        assert_eq!(
            pack(b"c200000000", &mut Args(vec![S(b"")]), 1000),
            Err(PackError::TooLarge)
        );
    }

    #[test]
    fn unpack_cases() {
        let cases: Vec<(&str, &[u8], i64, &str)> = vec![
            ("<i3", b"\xfe\xff\xff", 1, "-2,4"),
            ("<I3", b"\xfe\xff\xff", 1, "16777214,4"),
            ("<i16", &[0xff; 16], 1, "-1,17"),
            (
                "<i16",
                b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f",
                1,
                "ERR 16-byte integer does not fit into Lua Integer",
            ),
            (
                "<I9",
                &[0xff; 9],
                1,
                "ERR 9-byte integer does not fit into Lua Integer",
            ),
            ("<i9", b"\x01\0\0\0\0\0\0\0\0", 1, "1,10"),
            (
                "i4",
                b"abc",
                1,
                "ERR bad argument #2 (data string too short)",
            ),
            (
                "z",
                b"abc",
                1,
                "ERR bad argument #2 (unfinished string for format 'z')",
            ),
            ("z", b"ab\0c", 1, "ab,4"),
            (
                "s1",
                b"\x05ab",
                1,
                "ERR bad argument #2 (data string too short)",
            ),
            ("s1", b"\x02ab", 1, "ab,4"),
            (
                "c2",
                b"abc",
                3,
                "ERR bad argument #2 (data string too short)",
            ),
            (
                "c2",
                b"abc",
                5,
                "ERR bad argument #3 (initial position out of string)",
            ),
            ("b", b"abc", -1, "99,4"),
            (
                "b",
                b"abc",
                4,
                "ERR bad argument #2 (data string too short)",
            ),
            ("b", b"abc", -10, "97,2"),
            ("b", b"abc", i64::MIN, "97,2"),
            (
                "b",
                b"abc",
                i64::MAX,
                "ERR bad argument #3 (initial position out of string)",
            ),
            ("!4 b i4", b"\x01\0\0\0\x02\0\0\0", 1, "1,2,9"),
            (">h", b"\x01\x02", 1, "258,3"),
            ("<f", b"\xcd\xcc\xcc\x3d", 1, "0.10000000149012,5"),
            (
                "<d n",
                b"\0\0\0\0\0\0\x04\x40\0\0\0\0\0\0\xf0\xff",
                1,
                "2.5,-inf,17",
            ),
            ("Xi4 b", b"\x01", 1, "1,2"),
            ("b Xi4 b", b"\x01\0\0\0\x02", 1, "1,0,3"),
            ("!4 b Xi4 b", b"\x01\0\0\0\x02", 1, "1,2,6"),
            ("", b"abc", 1, "1"),
            ("", b"abc", 4, "4"),
            ("i0", b"", 1, "ERR integral size (0) out of limits [1,16]"),
            ("c0", b"", 1, ",1"),
            (
                "s16",
                &[0xff; 16],
                1,
                "ERR 16-byte integer does not fit into Lua Integer",
            ),
            (
                "s8",
                &[0xff; 8],
                1,
                "ERR bad argument #2 (data string too short)",
            ),
        ];
        for (fmt, data, init, exp) in cases {
            assert_eq!(u(fmt, data, init), exp, "unpack({fmt:?})");
        }
    }

    #[test]
    fn packsize_cases() {
        let s = |f: &str| match packsize(f.as_bytes()) {
            Ok(n) => n.to_string(),
            Err(e) => format!("ERR {e}"),
        };
        assert_eq!(s("i4 i8"), "12");
        assert_eq!(s("s"), "ERR bad argument #1 (variable-length format)");
        assert_eq!(s("z"), "ERR bad argument #1 (variable-length format)");
        assert_eq!(s("c2147483647"), "ERR invalid format option '7'");
        assert_eq!(s("!8 b d"), "16");
        assert_eq!(s("i16 !16 b i16"), "48");
        assert_eq!(s(&"c214748364".repeat(10)), "2147483640");
        assert_eq!(
            s(&format!("{}c8", "c214748364".repeat(10))),
            "ERR bad argument #1 (format result too large)"
        );
        assert_eq!(
            s(&"c214748364".repeat(100)),
            "ERR bad argument #1 (format result too large)"
        );
    }
}
