//! Lua 5.4 pattern matching (`lstrlib.c`: `match`, `str_find_aux`, `gmatch`,
//! `str_gsub`, `add_s`), working on bytes and independent of the VM.
//!
//! # How the glue should use this module
//!
//! All positions are 0-based byte offsets into the subject, except
//! [`Capture::Position`], which already holds the 1-based position Lua returns.
//!
//! * `string.find(s, p, init, plain)`: call [`str_find`] with the raw `init`
//!   argument (default 1) and `plain = toboolean(arg 4)`. On `Some(m)` return
//!   `m.start + 1`, `m.end`, then every value of [`Match::captures`]
//!   (explicit captures only); on `None` return `nil` (fail).
//! * `string.match(s, p, init)`: [`str_match`]; on `Some(m)` return the values
//!   of [`Match::match_values`] (the whole match when there are no captures).
//! * `string.gmatch(s, p, init)`: keep a [`Gmatch`] (created with
//!   [`Gmatch::new`]) in the iterator closure together with `s` and `p`; each
//!   call to the iterator calls [`Gmatch::next_match`] and returns the values of
//!   [`Match::match_values`], or nothing when it returns `None`. Note that in
//!   Lua 5.4.4 `gmatch` does not treat `^` as an anchor (it matches a literal
//!   `^`), and this module reproduces that.
//! * `string.gsub(s, p, repl, n)`: create a [`Gsub`] with [`Gsub::new`], then
//!   loop on [`Gsub::step`], which appends unmatched text to the output buffer
//!   and returns each match. For a string (or number, converted to string)
//!   `repl` call [`expand_replacement`]; for a table or function use
//!   `m.capture(0)` as the key/argument, and if the result is `false`/`nil`
//!   append the original text `&s[m.start..m.end]`, if it is a string or number
//!   append its string form, otherwise raise
//!   `invalid replacement value (a <typename>)`. When `step` returns `None`
//!   the rest of the subject has been appended; return the buffer and
//!   [`Gsub::count`].
//!
//! # Errors and fuel
//!
//! Errors carry PUC's exact messages in [`PatternError::Malformed`] (the glue
//! raises them with `luaL_error` semantics, i.e. with position information).
//! Every matching step consumes one unit of `fuel`; when it would go below
//! zero the matcher stops with [`PatternError::OutOfFuel`]. A match attempt
//! interrupted this way cannot be resumed in the middle: the caller can raise
//! an error, or retry with more fuel. [`Gmatch::next_match`] and [`Gsub::step`]
//! leave their state untouched by an interrupted attempt, so retrying the same
//! call continues where the last completed attempt left off.
//!
//! The matcher recurses exactly where PUC's `match` recurses and counts the
//! depth the same way (`MAXCCALLS` = 200, error `pattern too complex`), so
//! the Rust recursion depth is bounded.

use crate::number::is_c_space;

/// Maximum number of captures (`LUA_MAXCAPTURES`).
pub const MAXCAPTURES: usize = 32;
/// Maximum recursion depth of the matcher (`MAXCCALLS`).
pub const MAXCCALLS: usize = 200;

const L_ESC: u8 = b'%';
const SPECIALS: &[u8] = b"^$*+?.([%-";

/// Pattern matching failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// An error with PUC's exact message (e.g. `malformed pattern (ends with '%')`).
    Malformed(String),
    /// The fuel ran out before the match finished.
    OutOfFuel,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PatternError::Malformed(m) => f.write_str(m),
            PatternError::OutOfFuel => f.write_str("pattern matching ran out of fuel"),
        }
    }
}

impl std::error::Error for PatternError {}

fn err<T>(msg: impl Into<String>) -> Result<T, PatternError> {
    Err(PatternError::Malformed(msg.into()))
}

/// A capture value as Lua returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capture {
    /// Substring `src[start..end]` (0-based, end exclusive).
    Slice(usize, usize),
    /// Position capture `()`: the 1-based position Lua returns.
    Position(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CapLen {
    Len(usize),
    Unfinished,
    Position,
}

#[derive(Debug, Clone, Copy)]
struct Cap {
    init: usize,
    len: CapLen,
}

/// A successful match: the whole-match range and the raw captures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// 0-based start of the whole match.
    pub start: usize,
    /// 0-based end (exclusive) of the whole match.
    pub end: usize,
    caps: Vec<(usize, CapLen)>,
}

impl Match {
    /// Number of explicit captures in the pattern that took part in the match.
    pub fn num_captures(&self) -> usize {
        self.caps.len()
    }

    /// `get_onecapture(i)` with a 0-based index `i`: capture `i`, or the whole
    /// match when `i == 0` and the pattern has no captures. Errors:
    /// `invalid capture index %<i+1>`, `unfinished capture`.
    pub fn capture(&self, i: usize) -> Result<Capture, PatternError> {
        match self.caps.get(i) {
            None => {
                if i != 0 {
                    err(format!("invalid capture index %{}", i + 1))
                } else {
                    Ok(Capture::Slice(self.start, self.end))
                }
            }
            Some(&(init, len)) => match len {
                CapLen::Unfinished => err("unfinished capture"),
                CapLen::Position => Ok(Capture::Position(init + 1)),
                CapLen::Len(l) => Ok(Capture::Slice(init, init + l)),
            },
        }
    }

    /// The explicit captures (what `string.find` returns after the indices).
    pub fn captures(&self) -> Result<Vec<Capture>, PatternError> {
        (0..self.caps.len()).map(|i| self.capture(i)).collect()
    }

    /// What `string.match` / `gmatch` return: the captures, or the whole
    /// match if the pattern has none.
    pub fn match_values(&self) -> Result<Vec<Capture>, PatternError> {
        let n = self.caps.len().max(1);
        (0..n).map(|i| self.capture(i)).collect()
    }
}

/// `posrelatI`: converts a Lua initial position (1-based, negative from the
/// end, 0 treated as 1) to a 1-based position, clipping negatives to 1. The
/// result may exceed `len + 1`.
pub fn posrelat_i(pos: i64, len: usize) -> u64 {
    if pos > 0 {
        pos as u64
    } else if pos == 0 || pos.unsigned_abs() > len as u64 {
        1
    } else {
        (len as u64) - pos.unsigned_abs() + 1
    }
}

/// `nospecials`: true if the pattern has no magic characters (so `find` can
/// use a plain search). Like PUC, a `\0` byte stops the check of a chunk but
/// the rest of the pattern is still checked.
pub fn nospecials(pat: &[u8]) -> bool {
    !pat.iter().any(|c| SPECIALS.contains(c))
}

/// `lmemfind`: plain substring search; returns the 0-based offset.
pub fn find_plain(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    if needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// C-locale character class test (`match_class`): `cl` is the class letter.
pub fn match_class(c: u8, cl: u8) -> bool {
    let res = match cl.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'g' => c.is_ascii_graphic(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        b's' => is_c_space(c),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        b'z' => c == 0, // deprecated but still supported by 5.4
        _ => return cl == c,
    };
    if cl.is_ascii_uppercase() {
        !res
    } else {
        res
    }
}

struct MatchState<'a, 'f> {
    src: &'a [u8],
    pat: &'a [u8],
    level: usize,
    capture: [Cap; MAXCAPTURES],
    matchdepth: usize,
    fuel: &'f mut u64,
}

impl<'a, 'f> MatchState<'a, 'f> {
    fn new(src: &'a [u8], pat: &'a [u8], fuel: &'f mut u64) -> Self {
        MatchState {
            src,
            pat,
            level: 0,
            capture: [Cap {
                init: 0,
                len: CapLen::Unfinished,
            }; MAXCAPTURES],
            matchdepth: MAXCCALLS,
            fuel,
        }
    }

    fn reprep(&mut self) {
        self.level = 0;
        self.matchdepth = MAXCCALLS;
    }

    #[inline]
    fn burn(&mut self) -> Result<(), PatternError> {
        if *self.fuel == 0 {
            return Err(PatternError::OutOfFuel);
        }
        *self.fuel -= 1;
        Ok(())
    }

    /// Pattern byte at `i`, or 0 past the end (PUC reads the terminating NUL).
    #[inline]
    fn p(&self, i: usize) -> u8 {
        self.pat.get(i).copied().unwrap_or(0)
    }

    fn to_match(&self, start: usize, end: usize) -> Match {
        Match {
            start,
            end,
            caps: self.capture[..self.level]
                .iter()
                .map(|c| (c.init, c.len))
                .collect(),
        }
    }

    fn class_end(&self, mut p: usize) -> Result<usize, PatternError> {
        let c = self.p(p);
        p += 1;
        match c {
            L_ESC => {
                if p >= self.pat.len() {
                    return err("malformed pattern (ends with '%')");
                }
                Ok(p + 1)
            }
            b'[' => {
                if self.p(p) == b'^' {
                    p += 1;
                }
                loop {
                    if p >= self.pat.len() {
                        return err("malformed pattern (missing ']')");
                    }
                    let c = self.pat[p];
                    p += 1;
                    if c == L_ESC && p < self.pat.len() {
                        p += 1;
                    }
                    if self.p(p) == b']' {
                        break;
                    }
                }
                Ok(p + 1)
            }
            _ => Ok(p),
        }
    }

    /// `matchbracketclass`: `p` at '[', `ec` at the closing ']'.
    fn match_bracket_class(&self, c: u8, mut p: usize, ec: usize) -> bool {
        let mut sig = true;
        if self.p(p + 1) == b'^' {
            sig = false;
            p += 1;
        }
        loop {
            p += 1;
            if p >= ec {
                break;
            }
            let pc = self.p(p);
            if pc == L_ESC {
                p += 1;
                if match_class(c, self.p(p)) {
                    return sig;
                }
            } else if self.p(p + 1) == b'-' && p + 2 < ec {
                p += 2;
                if pc <= c && c <= self.p(p) {
                    return sig;
                }
            } else if pc == c {
                return sig;
            }
        }
        !sig
    }

    fn single_match(&self, s: usize, p: usize, ep: usize) -> bool {
        let Some(&c) = self.src.get(s) else {
            return false;
        };
        match self.p(p) {
            b'.' => true,
            L_ESC => match_class(c, self.p(p + 1)),
            b'[' => self.match_bracket_class(c, p, ep - 1),
            pc => pc == c,
        }
    }

    fn match_balance(&mut self, s: usize, p: usize) -> Result<Option<usize>, PatternError> {
        if p + 1 >= self.pat.len() {
            return err("malformed pattern (missing arguments to '%b')");
        }
        let b = self.pat[p];
        let e = self.pat[p + 1];
        if self.src.get(s) != Some(&b) {
            return Ok(None);
        }
        let mut cont = 1usize;
        let mut s = s + 1;
        while s < self.src.len() {
            self.burn()?;
            let c = self.src[s];
            if c == e {
                cont -= 1;
                if cont == 0 {
                    return Ok(Some(s + 1));
                }
            } else if c == b {
                cont += 1;
            }
            s += 1;
        }
        Ok(None)
    }

    fn check_capture(&self, l: u8) -> Result<usize, PatternError> {
        let l = i32::from(l) - i32::from(b'1');
        if l < 0 || l as usize >= self.level || self.capture[l as usize].len == CapLen::Unfinished {
            return err(format!("invalid capture index %{}", l + 1));
        }
        Ok(l as usize)
    }

    fn capture_to_close(&self) -> Result<usize, PatternError> {
        (0..self.level)
            .rev()
            .find(|&l| self.capture[l].len == CapLen::Unfinished)
            .map_or_else(|| err("invalid pattern capture"), Ok)
    }

    fn match_capture(&mut self, s: usize, l: u8) -> Result<Option<usize>, PatternError> {
        let l = self.check_capture(l)?;
        let cap = self.capture[l];
        let CapLen::Len(len) = cap.len else {
            return Ok(None);
        };
        if self.src.len() - s >= len && self.src[cap.init..cap.init + len] == self.src[s..s + len] {
            // charge for the comparison
            for _ in 0..len / 16 {
                self.burn()?;
            }
            Ok(Some(s + len))
        } else {
            Ok(None)
        }
    }

    fn start_capture(
        &mut self,
        s: usize,
        p: usize,
        what: CapLen,
    ) -> Result<Option<usize>, PatternError> {
        let level = self.level;
        if level >= MAXCAPTURES {
            return err("too many captures");
        }
        self.capture[level] = Cap { init: s, len: what };
        self.level = level + 1;
        let res = self.do_match(s, p)?;
        if res.is_none() {
            self.level -= 1;
        }
        Ok(res)
    }

    fn end_capture(&mut self, s: usize, p: usize) -> Result<Option<usize>, PatternError> {
        let l = self.capture_to_close()?;
        self.capture[l].len = CapLen::Len(s - self.capture[l].init);
        let res = self.do_match(s, p)?;
        if res.is_none() {
            self.capture[l].len = CapLen::Unfinished;
        }
        Ok(res)
    }

    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> Result<Option<usize>, PatternError> {
        let mut i = 0usize;
        while self.single_match(s + i, p, ep) {
            self.burn()?;
            i += 1;
        }
        loop {
            if let Some(res) = self.do_match(s + i, ep + 1)? {
                return Ok(Some(res));
            }
            if i == 0 {
                return Ok(None);
            }
            i -= 1;
        }
    }

    fn min_expand(
        &mut self,
        mut s: usize,
        p: usize,
        ep: usize,
    ) -> Result<Option<usize>, PatternError> {
        loop {
            if let Some(res) = self.do_match(s, ep + 1)? {
                return Ok(Some(res));
            }
            if self.single_match(s, p, ep) {
                s += 1;
            } else {
                return Ok(None);
            }
        }
    }

    fn do_match(&mut self, s: usize, p: usize) -> Result<Option<usize>, PatternError> {
        if self.matchdepth == 0 {
            return err("pattern too complex");
        }
        self.matchdepth -= 1;
        let r = self.do_match_inner(s, p);
        self.matchdepth += 1;
        r
    }

    fn do_match_inner(
        &mut self,
        mut s: usize,
        mut p: usize,
    ) -> Result<Option<usize>, PatternError> {
        loop {
            self.burn()?;
            if p >= self.pat.len() {
                return Ok(Some(s));
            }
            match self.pat[p] {
                b'(' => {
                    return if self.p(p + 1) == b')' {
                        self.start_capture(s, p + 2, CapLen::Position)
                    } else {
                        self.start_capture(s, p + 1, CapLen::Unfinished)
                    };
                }
                b')' => return self.end_capture(s, p + 1),
                b'$' if p + 1 == self.pat.len() => {
                    return Ok(if s == self.src.len() { Some(s) } else { None });
                }
                L_ESC => match self.p(p + 1) {
                    b'b' => match self.match_balance(s, p + 2)? {
                        Some(ns) => {
                            s = ns;
                            p += 4;
                            continue;
                        }
                        None => return Ok(None),
                    },
                    b'f' => {
                        p += 2;
                        if self.p(p) != b'[' {
                            return err("missing '[' after '%f' in pattern");
                        }
                        let ep = self.class_end(p)?;
                        let previous = if s == 0 { 0 } else { self.src[s - 1] };
                        let current = self.src.get(s).copied().unwrap_or(0);
                        if !self.match_bracket_class(previous, p, ep - 1)
                            && self.match_bracket_class(current, p, ep - 1)
                        {
                            p = ep;
                            continue;
                        }
                        return Ok(None);
                    }
                    d @ b'0'..=b'9' => match self.match_capture(s, d)? {
                        Some(ns) => {
                            s = ns;
                            p += 2;
                            continue;
                        }
                        None => return Ok(None),
                    },
                    _ => {}
                },
                _ => {}
            }
            // default: single char class with optional suffix
            let ep = self.class_end(p)?;
            let epc = self.p(ep);
            if !self.single_match(s, p, ep) {
                if epc == b'*' || epc == b'?' || epc == b'-' {
                    p = ep + 1;
                    continue;
                }
                return Ok(None);
            }
            match epc {
                b'?' => {
                    if let Some(res) = self.do_match(s + 1, ep + 1)? {
                        return Ok(Some(res));
                    }
                    p = ep + 1;
                    continue;
                }
                b'+' => return self.max_expand(s + 1, p, ep),
                b'*' => return self.max_expand(s, p, ep),
                b'-' => return self.min_expand(s, p, ep),
                _ => {
                    s += 1;
                    p = ep;
                    continue;
                }
            }
        }
    }
}

/// Runs the matcher anchored at `s` (no `^` handling): the raw `match` of PUC.
/// `pat` must not include a leading anchor that should be treated as one.
pub fn match_at(
    src: &[u8],
    pat: &[u8],
    s: usize,
    fuel: &mut u64,
) -> Result<Option<Match>, PatternError> {
    if s > src.len() {
        return Ok(None);
    }
    let mut ms = MatchState::new(src, pat, fuel);
    Ok(ms.do_match(s, 0)?.map(|e| ms.to_match(s, e)))
}

fn find_aux(
    src: &[u8],
    pat: &[u8],
    init: i64,
    plain: bool,
    find: bool,
    fuel: &mut u64,
) -> Result<Option<Match>, PatternError> {
    let ls = src.len();
    let init = posrelat_i(init, ls) - 1;
    if init > ls as u64 {
        return Ok(None);
    }
    let init = init as usize;
    if find && (plain || nospecials(pat)) {
        // charge roughly for the scan
        let cost = (ls - init) as u64 / 16;
        if *fuel < cost {
            return Err(PatternError::OutOfFuel);
        }
        *fuel -= cost;
        return Ok(find_plain(&src[init..], pat).map(|i| Match {
            start: init + i,
            end: init + i + pat.len(),
            caps: Vec::new(),
        }));
    }
    let anchor = pat.first() == Some(&b'^');
    let pat = if anchor { &pat[1..] } else { pat };
    let mut ms = MatchState::new(src, pat, fuel);
    let mut s1 = init;
    loop {
        ms.reprep();
        if let Some(e) = ms.do_match(s1, 0)? {
            return Ok(Some(ms.to_match(s1, e)));
        }
        if s1 >= ls || anchor {
            return Ok(None);
        }
        s1 += 1;
    }
}

/// `string.find(src, pat, init, plain)`. `init` is the raw Lua argument
/// (default 1). Return `m.start + 1`, `m.end` and [`Match::captures`].
pub fn str_find(
    src: &[u8],
    pat: &[u8],
    init: i64,
    plain: bool,
    fuel: &mut u64,
) -> Result<Option<Match>, PatternError> {
    find_aux(src, pat, init, plain, true, fuel)
}

/// `string.match(src, pat, init)`. Return [`Match::match_values`].
pub fn str_match(
    src: &[u8],
    pat: &[u8],
    init: i64,
    fuel: &mut u64,
) -> Result<Option<Match>, PatternError> {
    find_aux(src, pat, init, false, false, fuel)
}

/// State of a `string.gmatch` iterator (`GMatchState`). The subject and
/// pattern are passed to each call (the glue keeps them alive).
#[derive(Debug, Clone)]
pub struct Gmatch {
    src_pos: usize,
    lastmatch: Option<usize>,
}

impl Gmatch {
    /// `gmatch(s, p, init)`: `src_len` is `#s`, `init` the raw Lua argument (default 1).
    pub fn new(src_len: usize, init: i64) -> Gmatch {
        let init = posrelat_i(init, src_len) - 1;
        let src_pos = if init > src_len as u64 {
            src_len + 1
        } else {
            init as usize
        };
        Gmatch {
            src_pos,
            lastmatch: None,
        }
    }

    /// `gmatch_aux`: the next match, or `None` when the iteration is over.
    pub fn next_match(
        &mut self,
        src: &[u8],
        pat: &[u8],
        fuel: &mut u64,
    ) -> Result<Option<Match>, PatternError> {
        let mut ms = MatchState::new(src, pat, fuel);
        let mut s = self.src_pos;
        while s <= src.len() {
            ms.reprep();
            if let Some(e) = ms.do_match(s, 0)? {
                if Some(e) != self.lastmatch {
                    self.src_pos = e;
                    self.lastmatch = Some(e);
                    return Ok(Some(ms.to_match(s, e)));
                }
            }
            s += 1;
        }
        self.src_pos = s;
        Ok(None)
    }
}

/// State of a `string.gsub` call.
#[derive(Debug, Clone)]
pub struct Gsub {
    anchor: bool,
    pos: usize,
    lastmatch: Option<usize>,
    n: i64,
    max_s: i64,
    done: bool,
}

impl Gsub {
    /// `pat` is the full pattern (a leading `^` anchors); `max_s` is the 4th
    /// argument of gsub (default `#s + 1`).
    pub fn new(pat: &[u8], max_s: i64) -> Gsub {
        Gsub {
            anchor: pat.first() == Some(&b'^'),
            pos: 0,
            lastmatch: None,
            n: 0,
            max_s,
            done: false,
        }
    }

    /// Number of replacements made so far (gsub's second result).
    pub fn count(&self) -> i64 {
        self.n
    }

    /// Advances to the next match, appending skipped subject bytes to `out`.
    /// Returns `Some(m)`: the caller appends the replacement for `m` to `out`
    /// and calls `step` again. Returns `None` when finished: the remainder of
    /// the subject has been appended. `src` and `pat` must be the same on
    /// every call (`pat` is the full pattern, including any `^`).
    pub fn step(
        &mut self,
        src: &[u8],
        pat: &[u8],
        out: &mut Vec<u8>,
        fuel: &mut u64,
    ) -> Result<Option<Match>, PatternError> {
        if self.done {
            return Ok(None);
        }
        let p = if self.anchor {
            pat.get(1..).unwrap_or(&[])
        } else {
            pat
        };
        let mut ms = MatchState::new(src, p, fuel);
        while self.n < self.max_s {
            ms.reprep();
            let r = ms.do_match(self.pos, 0)?;
            let mut found = None;
            match r {
                Some(e) if Some(e) != self.lastmatch => {
                    self.n += 1;
                    found = Some(ms.to_match(self.pos, e));
                    self.pos = e;
                    self.lastmatch = Some(e);
                }
                _ => {
                    if self.pos < src.len() {
                        out.push(src[self.pos]);
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
            }
            if self.anchor {
                // PUC stops after the first attempt; flush the rest next call.
                self.max_s = self.n;
            }
            if found.is_some() {
                return Ok(found);
            }
            if self.anchor {
                break;
            }
        }
        self.done = true;
        if let Some(rest) = src.get(self.pos..) {
            out.extend_from_slice(rest);
        }
        Ok(None)
    }
}

/// Appends a capture's value as gsub's `add_s` does (positions as decimal integers).
pub fn push_capture_bytes(src: &[u8], cap: Capture, out: &mut Vec<u8>) {
    match cap {
        Capture::Slice(a, b) => out.extend_from_slice(src.get(a..b).unwrap_or(&[])),
        Capture::Position(p) => out.extend_from_slice(p.to_string().as_bytes()),
    }
}

/// `add_s`: expands a gsub replacement string for match `m` of `src`,
/// appending to `out`. Errors: `invalid use of '%' in replacement string`,
/// `invalid capture index %N`, `unfinished capture`.
pub fn expand_replacement(
    repl: &[u8],
    m: &Match,
    src: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), PatternError> {
    let mut i = 0;
    while i < repl.len() {
        let c = repl[i];
        i += 1;
        if c != L_ESC {
            out.push(c);
            continue;
        }
        let d = repl.get(i).copied().unwrap_or(0);
        i += 1;
        if d == L_ESC {
            out.push(L_ESC);
        } else if d == b'0' {
            out.extend_from_slice(&src[m.start..m.end]);
        } else if d.is_ascii_digit() {
            let cap = m.capture(usize::from(d - b'1'))?;
            push_capture_bytes(src, cap, out);
        } else {
            return err("invalid use of '%' in replacement string");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FUEL: u64 = 10_000_000;

    fn vals(src: &str, m: &Match, find: bool) -> String {
        let caps = if find { m.captures() } else { m.match_values() };
        let caps = match caps {
            Ok(c) => c,
            Err(e) => return format!("ERR {e}"),
        };
        let mut parts = Vec::new();
        if find {
            parts.push((m.start + 1).to_string());
            parts.push(m.end.to_string());
        }
        for c in caps {
            parts.push(match c {
                Capture::Slice(a, b) => src[a..b].to_string(),
                Capture::Position(p) => p.to_string(),
            });
        }
        parts.join(",")
    }

    fn find(src: &str, pat: &str, init: i64, plain: bool) -> String {
        let mut fuel = FUEL;
        match str_find(src.as_bytes(), pat.as_bytes(), init, plain, &mut fuel) {
            Ok(Some(m)) => vals(src, &m, true),
            Ok(None) => "nil".into(),
            Err(e) => format!("ERR {e}"),
        }
    }

    fn mtch(src: &str, pat: &str) -> String {
        let mut fuel = FUEL;
        match str_match(src.as_bytes(), pat.as_bytes(), 1, &mut fuel) {
            Ok(Some(m)) => vals(src, &m, false),
            Ok(None) => "nil".into(),
            Err(e) => format!("ERR {e}"),
        }
    }

    fn gmatch(src: &str, pat: &str, init: i64) -> String {
        let mut fuel = FUEL;
        let mut g = Gmatch::new(src.len(), init);
        let mut out = Vec::new();
        loop {
            match g.next_match(src.as_bytes(), pat.as_bytes(), &mut fuel) {
                Ok(Some(m)) => out.push(vals(src, &m, false)),
                Ok(None) => break,
                Err(e) => {
                    out.push(format!("ERR {e}"));
                    break;
                }
            }
        }
        out.join(";")
    }

    fn gsub(src: &str, pat: &str, repl: &str, max: Option<i64>) -> String {
        let mut fuel = FUEL;
        let mut g = Gsub::new(pat.as_bytes(), max.unwrap_or(src.len() as i64 + 1));
        let mut out = Vec::new();
        loop {
            match g.step(src.as_bytes(), pat.as_bytes(), &mut out, &mut fuel) {
                Ok(Some(m)) => {
                    if let Err(e) =
                        expand_replacement(repl.as_bytes(), &m, src.as_bytes(), &mut out)
                    {
                        return format!("ERR {e}");
                    }
                }
                Ok(None) => break,
                Err(e) => return format!("ERR {e}"),
            }
        }
        format!("{} {}", String::from_utf8_lossy(&out), g.count())
    }

    #[test]
    fn find_cases() {
        // expected values produced by lua5.4 (5.4.4)
        let cases: &[(&str, &str, i64, bool, &str)] = &[
            ("hello world", "o w", 1, false, "5,7"),
            ("hello world", "o", 6, false, "8,8"),
            ("hello world", "l+", 1, false, "3,4"),
            ("hello", "", 1, false, "1,0"),
            ("hello", "", 10, false, "nil"),
            ("hello", "", 6, false, "6,5"),
            ("hello", "l", -2, false, "4,4"),
            ("hello", "h", -100, false, "1,1"),
            ("a.b", ".", 1, true, "2,2"),
            ("a+b", "+", 1, false, "2,2"),
            ("hello", "(l)(l)", 1, false, "3,4,l,l"),
            ("hello", "()ll()", 1, false, "3,4,3,5"),
            ("  x", "^%s*", 1, false, "1,2"),
            ("x^y", "^y", 1, false, "nil"),
            ("x^y", "%^y", 1, false, "2,3"),
            ("abc", "b", 0, false, "2,2"),
            ("abc", "[", 1, true, "nil"),
        ];
        for &(s, p, init, plain, exp) in cases {
            assert_eq!(find(s, p, init, plain), exp, "find({s:?}, {p:?}, {init})");
        }
    }

    #[test]
    fn match_cases() {
        // expected values produced by lua5.4 (5.4.4)
        let cases: &[(&str, &str, &str)] = &[
            ("hello world", "%w+", "hello"),
            ("key = value", "(%w+)%s*=%s*(%w+)", "key,value"),
            ("  trim  ", "^%s*(.-)%s*$", "trim"),
            ("THE (quick) fox", "%((%a+)%)", "quick"),
            ("f(a(b)c)d", "%b()", "(a(b)c)"),
            ("THE (quick) fox", "%f[%a]%a+", "THE"),
            ("THE (quick) fox", "%f[%l]%a+", "quick"),
            ("hello", "%f[%z]", ""),
            ("a\0b", "%z", "\0"),
            ("a\0b", "%Z+", "a"),
            ("abc", "%f[%z]", ""),
            ("x = 'a\\'b'", "(['\"])(.-)%1", "',a\\"),
            ("abcabc", "(abc)%1", "abc"),
            ("2024-01-15", "(%d+)-(%d+)-(%d+)", "2024,01,15"),
            ("abc", "[^a]+", "bc"),
            ("a]b", "[]]", "]"),
            ("a-b", "[a%-]+", "a-"),
            ("a-b", "[%a-]+", "a-b"),
            ("hello", "[a-f]", "e"),
            ("HeLLo", "%u+", "H"),
            ("0x1F", "%x+", "0"),
            ("a.b,c", "%p", "."),
            ("\t\x0b x", "%s+", "\t\x0b "),
            ("abc\x01", "%c", "\x01"),
            ("aaa", "a-b", "nil"),
            ("aaab", "a-b", "aaab"),
            ("aaa", "a-", ""),
            ("aaa", "^a?a?a?a?$", "aaa"),
            ("", "a*", ""),
            ("abc", "()", "1"),
            ("abc", "$", ""),
            ("a$b", "a$b", "a$b"),
            ("abc", "((a)(b))", "ab,a,b"),
            ("hello world from lua", "(%w+) (%w+)", "hello,world"),
            ("[[x]]", "%[(%b[])%]", "[x]"),
            ("abc", "[%w_]*", "abc"),
            ("a1", "[%D]", "a"),
            ("x", "[^%W]", "x"),
        ];
        for &(s, p, exp) in cases {
            assert_eq!(mtch(s, p), exp, "match({s:?}, {p:?})");
        }
        // high bytes in a set (byte ranges)
        let mut fuel = FUEL;
        let m = str_match(b"a\xc3\xa9", b"[\x80-\xff]+", 1, &mut fuel)
            .unwrap()
            .unwrap();
        assert_eq!((m.start, m.end), (1, 3));
    }

    #[test]
    fn errors() {
        // messages checked with lua5.4
        let cases: &[(&str, &str)] = &[
            ("(a", "ERR unfinished capture"),
            ("%1", "ERR invalid capture index %1"),
            ("(a)%2", "ERR invalid capture index %2"),
            ("(a%1)", "ERR invalid capture index %1"),
            ("a%0", "ERR invalid capture index %0"),
            ("a)", "ERR invalid pattern capture"),
            ("%", "ERR malformed pattern (ends with '%')"),
            ("[a", "ERR malformed pattern (missing ']')"),
            ("[a%", "ERR malformed pattern (missing ']')"),
            ("[", "ERR malformed pattern (missing ']')"),
            ("[^", "ERR malformed pattern (missing ']')"),
            ("%f", "ERR missing '[' after '%f' in pattern"),
            ("%fa", "ERR missing '[' after '%f' in pattern"),
            ("%b", "ERR malformed pattern (missing arguments to '%b')"),
            ("%bx", "ERR malformed pattern (missing arguments to '%b')"),
        ];
        for &(p, exp) in cases {
            assert_eq!(mtch("abc", p), exp, "pattern {p:?}");
        }
        assert_eq!(mtch("abc", &"()".repeat(33)), "ERR too many captures");
        assert_eq!(mtch("abc", &"()".repeat(32)).split(',').count(), 32);
        assert_eq!(mtch("abc", &"a?".repeat(300)), "a");
        let s = "a".repeat(300);
        assert_eq!(mtch(&s, &"a?".repeat(300)), "ERR pattern too complex");
        assert_eq!(mtch(&s[..150], &"a?".repeat(150)), s[..150]);
        assert_eq!(find("abc", "(a", 1, false), "ERR unfinished capture");
    }

    #[test]
    fn gmatch_cases() {
        assert_eq!(gmatch("^a^a", "^a", 1), "^a;^a");
        assert_eq!(gmatch("aaa", "^a", 1), "");
        assert_eq!(
            gmatch("hello world from lua", "%a+", 1),
            "hello;world;from;lua"
        );
        assert_eq!(gmatch("abc", "", 1), ";;;");
        assert_eq!(gmatch("abc", "b*", 1), ";b;");
        assert_eq!(gmatch("k1=v1, k2=v2", "(%w+)=(%w+)", 1), "k1,v1;k2,v2");
        assert_eq!(gmatch("abc", "()", 1), "1;2;3;4");
        assert_eq!(gmatch("abcd", ".", 3), "c;d");
        assert_eq!(gmatch("abcd", ".", -1), "d");
        assert_eq!(gmatch("abcd", ".", 10), "");
        assert_eq!(gmatch("abcd", "", 10), "");
        assert_eq!(gmatch("abcd", "", 5), "");
        assert_eq!(gmatch("abc", "(a", 1), "ERR unfinished capture");
    }

    #[test]
    fn gsub_cases() {
        // expected values produced by lua5.4
        let cases: &[(&str, &str, &str, Option<i64>, &str)] = &[
            ("abc", "(a", "x", None, "xbc 1"),
            ("abc", "(a", "%1", None, "ERR unfinished capture"),
            ("abc", "a", "%2", None, "ERR invalid capture index %2"),
            (
                "abc",
                "a",
                "%",
                None,
                "ERR invalid use of '%' in replacement string",
            ),
            (
                "abc",
                "a",
                "%x",
                None,
                "ERR invalid use of '%' in replacement string",
            ),
            ("abc", "(a)", "%2", None, "ERR invalid capture index %2"),
            ("abc", "()", "%1", None, "1a2b3c4 4"),
            ("abc", "", "-", None, "-a-b-c- 4"),
            ("abc", "b*", "-", None, "-a-c- 3"),
            ("hello world", "o", "0", Some(1), "hell0 world 1"),
            ("abc", "%w", "%0%0", None, "aabbcc 3"),
            ("abc", "^a", "x", None, "xbc 1"),
            ("abc", "^b", "x", None, "abc 0"),
            ("abc", "^", "x", None, "xabc 1"),
            ("abc", "x*$", "!", None, "abc! 1"),
            ("abc", "", "-", Some(-1), "abc 0"),
            ("hello world", "(%w+)", "<%1>", None, "<hello> <world> 2"),
            ("hello world", "(%w+) (%w+)", "%2 %1", None, "world hello 1"),
            ("abc", "%w", "%1", None, "abc 3"),
            ("a,b", ",", "%%", None, "a%b 1"),
            ("abc", ".", "x", Some(2), "xxc 2"),
        ];
        for &(s, p, r, max, exp) in cases {
            assert_eq!(gsub(s, p, r, max), exp, "gsub({s:?}, {p:?}, {r:?})");
        }
    }

    #[test]
    fn fuel_stops_pathological() {
        // lua5.4 does not finish this search in reasonable time
        let s = "a".repeat(30);
        let pat = format!("{}b", "a*".repeat(20));
        let mut fuel = 100_000;
        let r = str_find(s.as_bytes(), pat.as_bytes(), 1, false, &mut fuel);
        assert_eq!(r, Err(PatternError::OutOfFuel));
        assert_eq!(fuel, 0);
        // a gsub interrupted by lack of fuel can be resumed by calling step again
        let src = "x".repeat(100);
        let mut g = Gsub::new(b"x", 1000);
        let mut out = Vec::new();
        let mut fuel = 0;
        let mut steps = 0;
        loop {
            match g.step(src.as_bytes(), b"x", &mut out, &mut fuel) {
                Ok(Some(m)) => {
                    expand_replacement(b"y", &m, src.as_bytes(), &mut out).unwrap();
                }
                Ok(None) => break,
                Err(PatternError::OutOfFuel) => fuel = 3,
                Err(e) => panic!("{e}"),
            }
            steps += 1;
            assert!(steps < 10_000);
        }
        assert_eq!(out, "y".repeat(100).into_bytes());
        assert_eq!(g.count(), 100);
    }

    #[test]
    fn posrelat() {
        assert_eq!(posrelat_i(i64::MIN, 5), 1);
        assert_eq!(posrelat_i(-5, 5), 1);
        assert_eq!(posrelat_i(-1, 5), 5);
        assert_eq!(posrelat_i(i64::MAX, 5), i64::MAX as u64);
        assert_eq!(find("abc", "b", i64::MAX, false), "nil");
        assert_eq!(find("abc", "b", i64::MIN, false), "2,2");
    }
}
