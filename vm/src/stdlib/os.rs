//! The safe part of the os library (`loslib.c`): `clock`, `date`, `difftime`, `time`.
//!
//! Dates are computed here, without the C library: `strftime`'s C-locale conversions are
//! reimplemented to match glibc byte for byte (including its unpadded `%Y`/`%C`/`%G` for
//! unusual years and the ISO 8601 week rules), and `time(t)` normalises fields like
//! `mktime`.
//!
//! Differences from lua5.4, all deliberate:
//! * Local time is UTC: no time-zone database is consulted, so `os.date("%c")` equals
//!   `os.date("!%c")` except that `%Z` gives `UTC` (glibc's name for the local zone when
//!   TZ is UTC) instead of `GMT`, and `isdst` is always false. This is exactly what
//!   lua5.4 does on a host whose zone is UTC.
//! * `os.clock()` is the time elapsed since the library was first opened in the process
//!   (monotonic wall-clock seconds), not the process CPU time.
//! * `execute`, `exit`, `getenv`, `remove`, `rename`, `setlocale`, `tmpname` are not
//!   provided.

use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::args::Args;
use crate::error::LuaResult;
use crate::function::NativeFn;
use crate::state::Vm;
use crate::value::Value;

/// Registers the `os` library (safe functions only).
pub fn open(vm: &mut Vm) {
    let _ = start_instant();
    let funcs: &[(&str, NativeFn)] = &[
        ("clock", clock),
        ("date", date),
        ("difftime", difftime),
        ("time", time),
    ];
    let t = vm.new_table();
    for &(name, f) in funcs {
        vm.set_field(t, name, Value::Native(f));
    }
    vm.set_global("os", Value::Table(t));
}

fn start_instant() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

fn clock(vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    let secs = start_instant().elapsed().as_secs_f64();
    vm.push(Value::Float(secs));
    Ok(1)
}

fn now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

fn difftime(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let t1 = args.check_integer(vm, 1)?;
    let t2 = args.check_integer(vm, 2)?;
    vm.push(Value::Float(t1 as f64 - t2 as f64));
    Ok(1)
}

// ---- Calendar arithmetic ---------------------------------------------------------------

/// A broken-down time (`struct tm`, with the full year and 1-based month).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tm {
    pub year: i64,
    /// 1..=12
    pub month: i64,
    /// 1..=31
    pub day: i64,
    pub hour: i64,
    pub min: i64,
    pub sec: i64,
    /// Days since January 1st, 0..=365.
    pub yday: i64,
    /// Days since Sunday, 0..=6.
    pub wday: i64,
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The civil date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `gmtime`: `None` when the year does not fit a C `int` `tm_year`.
pub fn gmtime(t: i64) -> Option<Tm> {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let (year, month, day) = civil_from_days(days);
    i32::try_from(year - 1900).ok()?;
    let yday = days - days_from_civil(year, 1, 1);
    Some(Tm {
        year,
        month,
        day,
        hour: secs / 3600,
        min: secs % 3600 / 60,
        sec: secs % 60,
        yday,
        wday: (days + 4).rem_euclid(7), // 1970-01-01 was a Thursday
    })
}

/// `mktime` in UTC: the time of possibly out-of-range fields (month 1-based), or `None`
/// when the normalised year does not fit `tm_year`.
pub fn timegm(year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64) -> Option<i64> {
    let m0 = month - 1;
    let y = year.checked_add(m0.div_euclid(12))?;
    let m = m0.rem_euclid(12) + 1;
    let days = days_from_civil(y, m, 1).checked_add(day - 1)?;
    let t = days
        .checked_mul(86400)?
        .checked_add(hour.checked_mul(3600)?)?
        .checked_add(min.checked_mul(60)?)?
        .checked_add(sec)?;
    gmtime(t)?;
    Some(t)
}

// ---- os.time ---------------------------------------------------------------------------

/// A field of the date table (`getfield`), with `delta` removed as in C.
fn get_field(vm: &mut Vm, t: Value, key: &str, d: Option<i64>, delta: i64) -> LuaResult<i64> {
    let k = vm.new_str(key.as_bytes());
    let v = vm.index_value(t, k)?;
    match vm.to_integer(v) {
        Some(res) => {
            let ok = if res >= 0 {
                res - delta <= i32::MAX as i64
            } else {
                i32::MIN as i64 + delta <= res
            };
            if !ok {
                return Err(vm.rt_error(format!("field '{key}' is out-of-bound")));
            }
            Ok(res - delta)
        }
        None => {
            if !v.is_nil() {
                return Err(vm.rt_error(format!("field '{key}' is not an integer")));
            }
            match d {
                Some(d) => Ok(d),
                None => Err(vm.rt_error(format!("field '{key}' missing in date table"))),
            }
        }
    }
}

/// Stores the fields of `tm` in `t` (`setallfields`).
fn set_all_fields(vm: &mut Vm, t: Value, tm: &Tm) -> LuaResult<()> {
    let fields = [
        ("year", tm.year),
        ("month", tm.month),
        ("day", tm.day),
        ("hour", tm.hour),
        ("min", tm.min),
        ("sec", tm.sec),
        ("yday", tm.yday + 1),
        ("wday", tm.wday + 1),
    ];
    for (k, v) in fields {
        let key = vm.new_str(k.as_bytes());
        vm.set_index_value(t, key, Value::Int(v))?;
    }
    let key = vm.new_str(b"isdst");
    vm.set_index_value(t, key, Value::Bool(false))
}

fn time(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    if args.is_none_or_nil(vm, 1) {
        vm.push(Value::Int(now()));
        return Ok(1);
    }
    let t = Value::Table(args.check_table(vm, 1)?);
    let year = get_field(vm, t, "year", None, 1900)? + 1900;
    let month = get_field(vm, t, "month", None, 1)? + 1;
    let day = get_field(vm, t, "day", None, 0)?;
    let hour = get_field(vm, t, "hour", Some(12), 0)?;
    let min = get_field(vm, t, "min", Some(0), 0)?;
    let sec = get_field(vm, t, "sec", Some(0), 0)?;
    // `isdst` is read (for its metamethods) but local time has no daylight saving.
    let k = vm.new_str(b"isdst");
    vm.index_value(t, k)?;
    let r = timegm(year, month, day, hour, min, sec);
    let Some(secs) = r.filter(|&s| s != -1) else {
        return Err(vm.rt_error("time result cannot be represented in this installation"));
    };
    if let Some(tm) = gmtime(secs) {
        set_all_fields(vm, t, &tm)?;
    }
    vm.push(Value::Int(secs));
    Ok(1)
}

// ---- os.date ---------------------------------------------------------------------------

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Valid conversions (`LUA_STRFTIMEOPTIONS` for C99): one-char, then two-char ones.
const OPTIONS_1: &[u8] = b"aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
const OPTIONS_2: [&[u8]; 19] = [
    b"Ec", b"EC", b"Ex", b"EX", b"Ey", b"EY", b"Od", b"Oe", b"OH", b"OI", b"Om", b"OM", b"OS",
    b"Ou", b"OU", b"OV", b"Ow", b"OW", b"Oy",
];

/// ISO 8601 week-based year and week days offset (glibc's `iso_week_days`).
fn iso_week_days(yday: i64, wday: i64) -> i64 {
    let big_enough_multiple_of_7 = (366 / 7 + 2) * 7;
    yday - (yday - wday + 4 + big_enough_multiple_of_7) % 7 + 4 - 1
}

/// The ISO 8601 year and week number of a date.
fn iso_week(tm: &Tm) -> (i64, i64) {
    let mut year = tm.year;
    let mut days = iso_week_days(tm.yday, tm.wday);
    if days < 0 {
        year -= 1;
        days = iso_week_days(tm.yday + 365 + is_leap(year) as i64, tm.wday);
    } else {
        let d = iso_week_days(tm.yday - (365 + is_leap(year) as i64), tm.wday);
        if d >= 0 {
            year += 1;
            days = d;
        }
    }
    (year, days / 7 + 1)
}

/// Appends the C-locale `strftime` expansion of conversion `c` (modifiers dropped).
fn strftime_conv(out: &mut Vec<u8>, c: u8, tm: &Tm, utc: bool) {
    use std::io::Write;
    let hour12 = if tm.hour % 12 == 0 { 12 } else { tm.hour % 12 };
    let _ = match c {
        b'a' => write!(out, "{}", &DAYS[tm.wday as usize % 7][..3]),
        b'A' => write!(out, "{}", DAYS[tm.wday as usize % 7]),
        b'b' | b'h' => write!(out, "{}", &MONTHS[(tm.month as usize + 11) % 12][..3]),
        b'B' => write!(out, "{}", MONTHS[(tm.month as usize + 11) % 12]),
        b'c' => {
            for &x in b"a b e H:M:S Y" {
                if x.is_ascii_alphabetic() {
                    strftime_conv(out, x, tm, utc);
                } else {
                    out.push(x);
                }
            }
            Ok(())
        }
        b'C' => write!(out, "{}", tm.year.div_euclid(100)),
        b'd' => write!(out, "{:02}", tm.day),
        b'D' | b'x' => write!(
            out,
            "{:02}/{:02}/{:02}",
            tm.month,
            tm.day,
            tm.year.rem_euclid(100)
        ),
        b'e' => write!(out, "{:2}", tm.day),
        b'F' => write!(out, "{}-{:02}-{:02}", tm.year, tm.month, tm.day),
        b'g' => write!(out, "{:02}", iso_week(tm).0.rem_euclid(100)),
        b'G' => write!(out, "{}", iso_week(tm).0),
        b'H' => write!(out, "{:02}", tm.hour),
        b'I' => write!(out, "{:02}", hour12),
        b'j' => write!(out, "{:03}", tm.yday + 1),
        b'm' => write!(out, "{:02}", tm.month),
        b'M' => write!(out, "{:02}", tm.min),
        b'n' => writeln!(out),
        b'p' => write!(out, "{}", if tm.hour < 12 { "AM" } else { "PM" }),
        b'r' => write!(
            out,
            "{:02}:{:02}:{:02} {}",
            hour12,
            tm.min,
            tm.sec,
            if tm.hour < 12 { "AM" } else { "PM" }
        ),
        b'R' => write!(out, "{:02}:{:02}", tm.hour, tm.min),
        b'S' => write!(out, "{:02}", tm.sec),
        b't' => write!(out, "\t"),
        b'T' | b'X' => write!(out, "{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec),
        b'u' => write!(out, "{}", if tm.wday == 0 { 7 } else { tm.wday }),
        b'U' => write!(out, "{:02}", (tm.yday - tm.wday + 7) / 7),
        b'V' => write!(out, "{:02}", iso_week(tm).1),
        b'w' => write!(out, "{}", tm.wday),
        b'W' => write!(out, "{:02}", (tm.yday - (tm.wday - 1 + 7) % 7 + 7) / 7),
        b'y' => write!(out, "{:02}", tm.year.rem_euclid(100)),
        b'Y' => write!(out, "{}", tm.year),
        b'z' => write!(out, "+0000"),
        b'Z' => write!(out, "{}", if utc { "GMT" } else { "UTC" }),
        _ => write!(out, "%"),
    };
}

fn date(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let fmt: Vec<u8> = match args.opt_str(vm, 1)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"%c".to_vec(),
    };
    let t = if args.is_none_or_nil(vm, 2) {
        now()
    } else {
        args.check_integer(vm, 2)?
    };
    let (utc, mut s) = match fmt.first() {
        Some(b'!') => (true, &fmt[1..]),
        _ => (false, &fmt[..]),
    };
    let Some(tm) = gmtime(t) else {
        return Err(vm.rt_error("date result cannot be represented in this installation"));
    };
    // `strcmp(s, "*t")`: the format is read as a C string.
    let cstr = &s[..s.iter().position(|&c| c == 0).unwrap_or(s.len())];
    if cstr == b"*t" {
        let r = vm.new_table_with(0, 9);
        vm.push(Value::Table(r));
        set_all_fields(vm, Value::Table(r), &tm)?;
        return Ok(1);
    }
    let mut out = Vec::with_capacity(s.len() + 16);
    while let Some((&c, rest)) = s.split_first() {
        if c != b'%' {
            out.push(c);
            s = rest;
            continue;
        }
        // `checkoption`: a one-char conversion, or a two-char one with a modifier.
        if let Some(&c1) = rest.first().filter(|c| OPTIONS_1.contains(c)) {
            strftime_conv(&mut out, c1, &tm, utc);
            s = &rest[1..];
        } else if rest.len() >= 2 && OPTIONS_2.contains(&&rest[..2]) {
            strftime_conv(&mut out, rest[1], &tm, utc);
            s = &rest[2..];
        } else {
            let conv = &rest[..rest.iter().position(|&c| c == 0).unwrap_or(rest.len())];
            let msg = format!(
                "invalid conversion specifier '%{}'",
                String::from_utf8_lossy(conv)
            );
            return Err(vm.arg_error(1, &msg));
        }
        vm.check_alloc(out.len())?;
    }
    vm.charge(out.len() as u64 / 64);
    let r = vm.new_string_from_vec(out);
    vm.push(r);
    Ok(1)
}
