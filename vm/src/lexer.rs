//! Lexer: turns Lua source bytes into tokens, following PUC Lua 5.4 `llex.c` (and
//! `lobject.c`'s `luaO_str2num` for numerals) to the letter, including its error messages.
//!
//! The lexer keeps PUC's notion of a token buffer: the text of the last scanned token
//! (names, numerals, strings with their delimiters and *decoded* contents), which is what
//! error messages show after `near`.

use crate::ast::Line;
use crate::error::SyntaxError;

/// Errors are boxed internally to keep `Result`s (and thus parser stack frames) small.
pub type LexResult<T> = Result<T, Box<SyntaxError>>;

/// A lexical token.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    // Reserved words.
    And,
    Break,
    Do,
    Else,
    Elseif,
    End,
    False,
    For,
    Function,
    Goto,
    If,
    In,
    Local,
    Nil,
    Not,
    Or,
    Repeat,
    Return,
    Then,
    True,
    Until,
    While,
    // Multi-character symbols.
    /// `//`
    IDiv,
    /// `..`
    Concat,
    /// `...`
    Dots,
    /// `==`
    Eq,
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `~=`
    Ne,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `::`
    DbColon,
    /// End of input.
    Eos,
    /// A float numeral.
    Flt(f64),
    /// An integer numeral.
    Int(i64),
    /// A name (identifier).
    Name(String),
    /// A string literal (decoded bytes).
    Str(Vec<u8>),
    /// Any single-byte token (`+`, `(`, ...), also bytes that are not valid Lua.
    Char(u8),
}

/// Maximum number of lines (PUC: `MAX_INT`).
const MAX_LINES: Line = i32::MAX as Line;

fn reserved(word: &[u8]) -> Option<Token> {
    Some(match word {
        b"and" => Token::And,
        b"break" => Token::Break,
        b"do" => Token::Do,
        b"else" => Token::Else,
        b"elseif" => Token::Elseif,
        b"end" => Token::End,
        b"false" => Token::False,
        b"for" => Token::For,
        b"function" => Token::Function,
        b"goto" => Token::Goto,
        b"if" => Token::If,
        b"in" => Token::In,
        b"local" => Token::Local,
        b"nil" => Token::Nil,
        b"not" => Token::Not,
        b"or" => Token::Or,
        b"repeat" => Token::Repeat,
        b"return" => Token::Return,
        b"then" => Token::Then,
        b"true" => Token::True,
        b"until" => Token::Until,
        b"while" => Token::While,
        _ => return None,
    })
}

/// `luaX_token2str`: how a token kind is named in error messages.
pub fn token2str(t: &Token) -> String {
    let fixed = match t {
        Token::And => "and",
        Token::Break => "break",
        Token::Do => "do",
        Token::Else => "else",
        Token::Elseif => "elseif",
        Token::End => "end",
        Token::False => "false",
        Token::For => "for",
        Token::Function => "function",
        Token::Goto => "goto",
        Token::If => "if",
        Token::In => "in",
        Token::Local => "local",
        Token::Nil => "nil",
        Token::Not => "not",
        Token::Or => "or",
        Token::Repeat => "repeat",
        Token::Return => "return",
        Token::Then => "then",
        Token::True => "true",
        Token::Until => "until",
        Token::While => "while",
        Token::IDiv => "//",
        Token::Concat => "..",
        Token::Dots => "...",
        Token::Eq => "==",
        Token::Ge => ">=",
        Token::Le => "<=",
        Token::Ne => "~=",
        Token::Shl => "<<",
        Token::Shr => ">>",
        Token::DbColon => "::",
        // Names, strings and numerals are shown without quotes.
        Token::Eos => return "<eof>".to_string(),
        Token::Flt(_) => return "<number>".to_string(),
        Token::Int(_) => return "<integer>".to_string(),
        Token::Name(_) => return "<name>".to_string(),
        Token::Str(_) => return "<string>".to_string(),
        Token::Char(c) => {
            return if is_print(*c) {
                format!("'{}'", *c as char)
            } else {
                format!("'<\\{}>'", c)
            };
        }
    };
    format!("'{fixed}'")
}

fn is_print(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

fn is_alpha(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// C `isspace` in the "C" locale (Lua's `lisspace`).
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn hex_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'a'..=b'f' => (c - b'a' + 10) as u32,
        b'A'..=b'F' => (c - b'A' + 10) as u32,
        _ => 0,
    }
}

/// What an error message shows after `near`.
#[derive(Clone, Copy)]
enum Near {
    /// Nothing (no `near` part).
    Nothing,
    /// The token buffer (as for names, strings and numerals).
    Buffer,
    /// `<eof>`.
    Eof,
}

/// The Lua lexer, with one token of lookahead (like PUC's `LexState`).
pub struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    /// PUC's `ls->linenumber`: the line the lexer is at (after the last scanned token).
    pub linenumber: Line,
    /// PUC's `ls->lastline`: line of the last token consumed.
    pub lastline: Line,
    /// The current token.
    pub token: Token,
    /// Line on which the current token ended.
    pub token_line: Line,
    ahead: Option<(Token, Line)>,
    /// Text of the last scanned token (PUC's `ls->buff`).
    buff: Vec<u8>,
    chunkid: String,
}

impl<'a> Lexer<'a> {
    /// Creates a lexer; call [`Lexer::next`] to read the first token.
    /// `chunkid` is the already formatted prefix used in messages.
    pub fn new(src: &'a [u8], chunkid: String) -> Self {
        Lexer {
            src,
            pos: 0,
            linenumber: 1,
            lastline: 1,
            token: Token::Eos,
            token_line: 1,
            ahead: None,
            buff: Vec::new(),
            chunkid,
        }
    }

    /// The chunk id used as message prefix.
    pub fn chunkid(&self) -> &str {
        &self.chunkid
    }

    /// `luaX_next`: advances to the next token.
    pub fn next_token(&mut self) -> LexResult<()> {
        self.lastline = self.linenumber;
        if let Some((t, l)) = self.ahead.take() {
            self.token = t;
            self.token_line = l;
        } else {
            self.token = self.llex()?;
            self.token_line = self.linenumber;
        }
        Ok(())
    }

    /// `luaX_lookahead`: scans the token after the current one (only one level).
    pub fn lookahead(&mut self) -> LexResult<&Token> {
        if self.ahead.is_none() {
            let t = self.llex()?;
            self.ahead = Some((t, self.linenumber));
        }
        match &self.ahead {
            Some((t, _)) => Ok(t),
            None => Ok(&Token::Eos),
        }
    }

    /// `txtToken`: the text shown for a token in a message.
    pub fn txt_token(&self, t: &Token) -> String {
        match t {
            Token::Name(_) | Token::Str(_) | Token::Flt(_) | Token::Int(_) => self.buffer_text(),
            _ => token2str(t),
        }
    }

    fn buffer_text(&self) -> String {
        // `%s` stops at the first NUL byte.
        let end = self
            .buff
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.buff.len());
        format!("'{}'", String::from_utf8_lossy(&self.buff[..end]))
    }

    /// `luaX_syntaxerror`: an error located at the current token.
    pub fn syntax_error(&self, msg: &str) -> Box<SyntaxError> {
        if self.token == Token::Char(0) {
            // PUC's token code 0 means "no token": the message has no `near` part
            return self.plain_error(msg);
        }
        let near = self.txt_token(&self.token);
        Box::new(SyntaxError::new(format!(
            "{}:{}: {} near {}",
            self.chunkid, self.linenumber, msg, near
        )))
    }

    /// An error with position but without `near` (like `luaK_semerror`).
    pub fn plain_error(&self, msg: &str) -> Box<SyntaxError> {
        Box::new(SyntaxError::new(format!(
            "{}:{}: {}",
            self.chunkid, self.linenumber, msg
        )))
    }

    fn lex_error(&self, msg: &str, near: Near) -> Box<SyntaxError> {
        match near {
            Near::Nothing => self.plain_error(msg),
            Near::Buffer => Box::new(SyntaxError::new(format!(
                "{}:{}: {} near {}",
                self.chunkid,
                self.linenumber,
                msg,
                self.buffer_text()
            ))),
            Near::Eof => Box::new(SyntaxError::new(format!(
                "{}:{}: {} near <eof>",
                self.chunkid, self.linenumber, msg
            ))),
        }
    }

    #[inline]
    fn cur(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    #[inline]
    fn advance(&mut self) {
        if self.pos < self.src.len() {
            self.pos += 1;
        }
    }

    #[inline]
    fn save_and_next(&mut self) {
        if let Some(c) = self.cur() {
            self.buff.push(c);
            self.pos += 1;
        }
    }

    fn cur_is_newline(&self) -> bool {
        matches!(self.cur(), Some(b'\n' | b'\r'))
    }

    fn check_next1(&mut self, c: u8) -> bool {
        if self.cur() == Some(c) {
            self.advance();
            true
        } else {
            false
        }
    }

    /// Saves and skips the current char if it is one of `set`.
    fn check_next2(&mut self, set: &[u8; 2]) -> bool {
        match self.cur() {
            Some(c) if c == set[0] || c == set[1] => {
                self.save_and_next();
                true
            }
            _ => false,
        }
    }

    /// Skips a newline sequence (`\n`, `\r`, `\n\r` or `\r\n`) and counts a line.
    fn inclinenumber(&mut self) -> LexResult<()> {
        let old = self.cur();
        self.advance();
        if self.cur_is_newline() && self.cur() != old {
            self.advance();
        }
        self.linenumber += 1;
        if self.linenumber >= MAX_LINES {
            return Err(self.lex_error("chunk has too many lines", Near::Nothing));
        }
        Ok(())
    }

    /// `skip_sep`: reads a sequence `[=*[` or `]=*]`, leaving the last bracket. Returns
    /// the number of `=` plus 2 if well formed, 1 for a single bracket, 0 otherwise.
    fn skip_sep(&mut self) -> usize {
        let mut count = 0usize;
        let s = self.cur();
        self.save_and_next();
        while self.cur() == Some(b'=') {
            self.save_and_next();
            count += 1;
        }
        if self.cur() == s {
            count + 2
        } else if count == 0 {
            1
        } else {
            0
        }
    }

    /// Reads a long string or comment (`keep` false); the opening bracket's `[=*` is read.
    fn read_long_string(&mut self, keep: bool, sep: usize) -> LexResult<Option<Vec<u8>>> {
        let line = self.linenumber;
        self.save_and_next(); // second '['
        if self.cur_is_newline() {
            self.inclinenumber()?;
        }
        loop {
            match self.cur() {
                None => {
                    let what = if keep { "string" } else { "comment" };
                    let msg = format!("unfinished long {what} (starting at line {line})");
                    return Err(self.lex_error(&msg, Near::Eof));
                }
                Some(b']') => {
                    if self.skip_sep() == sep {
                        self.save_and_next(); // second ']'
                        break;
                    }
                }
                Some(b'\n' | b'\r') => {
                    self.buff.push(b'\n');
                    self.inclinenumber()?;
                    if !keep {
                        self.buff.clear();
                    }
                }
                Some(c) => {
                    if keep {
                        self.buff.push(c);
                    }
                    self.pos += 1;
                }
            }
        }
        if keep {
            let n = self.buff.len();
            Ok(Some(
                self.buff
                    .get(sep..n.saturating_sub(sep))
                    .unwrap_or(&[])
                    .to_vec(),
            ))
        } else {
            Ok(None)
        }
    }

    /// `esccheck`: on failure, adds the current char to the buffer and raises `msg`.
    fn esc_check(&mut self, ok: bool, msg: &str) -> LexResult<()> {
        if ok {
            Ok(())
        } else {
            if self.cur().is_some() {
                self.save_and_next();
            }
            Err(self.lex_error(msg, Near::Buffer))
        }
    }

    fn gethexa(&mut self) -> LexResult<u32> {
        self.save_and_next();
        let c = self.cur();
        self.esc_check(
            c.is_some_and(|c| c.is_ascii_hexdigit()),
            "hexadecimal digit expected",
        )?;
        Ok(hex_value(c.unwrap_or(b'0')))
    }

    fn read_hexa_esc(&mut self) -> LexResult<u8> {
        let mut r = self.gethexa()?;
        r = (r << 4) + self.gethexa()?;
        let n = self.buff.len();
        self.buff.truncate(n.saturating_sub(2));
        Ok(r as u8)
    }

    fn read_utf8_esc(&mut self) -> LexResult<u32> {
        let mut i = 4usize; // chars to be removed: '\', 'u', '{', and first digit
        self.save_and_next(); // skip 'u'
        let c = self.cur();
        self.esc_check(c == Some(b'{'), "missing '{'")?;
        let mut r = self.gethexa()?;
        loop {
            self.save_and_next();
            match self.cur() {
                Some(c) if c.is_ascii_hexdigit() => {
                    i += 1;
                    self.esc_check(r <= (0x7FFF_FFFFu32 >> 4), "UTF-8 value too large")?;
                    r = (r << 4) + hex_value(c);
                }
                _ => break,
            }
        }
        let c = self.cur();
        self.esc_check(c == Some(b'}'), "missing '}'")?;
        self.advance(); // skip '}'
        let n = self.buff.len();
        self.buff.truncate(n.saturating_sub(i));
        Ok(r)
    }

    fn read_dec_esc(&mut self) -> LexResult<u8> {
        let mut r: u32 = 0;
        let mut i = 0;
        while i < 3 {
            match self.cur() {
                Some(c) if c.is_ascii_digit() => {
                    r = 10 * r + (c - b'0') as u32;
                    self.save_and_next();
                    i += 1;
                }
                _ => break,
            }
        }
        self.esc_check(r <= 255, "decimal escape too large")?;
        let n = self.buff.len();
        self.buff.truncate(n.saturating_sub(i));
        Ok(r as u8)
    }

    fn read_string(&mut self, del: u8) -> LexResult<Vec<u8>> {
        self.save_and_next(); // keep delimiter (for error messages)
        loop {
            let Some(c) = self.cur() else {
                return Err(self.lex_error("unfinished string", Near::Eof));
            };
            if c == del {
                break;
            }
            match c {
                b'\n' | b'\r' => {
                    return Err(self.lex_error("unfinished string", Near::Buffer));
                }
                b'\\' => {
                    self.save_and_next(); // keep '\\' for error messages
                    let simple = |c: u8| -> Option<u8> {
                        Some(match c {
                            b'a' => 0x07,
                            b'b' => 0x08,
                            b'f' => 0x0c,
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'v' => 0x0b,
                            b'\\' | b'"' | b'\'' => c,
                            _ => return None,
                        })
                    };
                    match self.cur() {
                        None => {} // will raise an error next loop
                        Some(b'x') => {
                            let v = self.read_hexa_esc()?;
                            self.advance();
                            self.buff.pop(); // remove '\\'
                            self.buff.push(v);
                        }
                        Some(b'u') => {
                            let v = self.read_utf8_esc()?;
                            utf8_esc(&mut self.buff, v);
                        }
                        Some(b'\n' | b'\r') => {
                            self.inclinenumber()?;
                            self.buff.pop();
                            self.buff.push(b'\n');
                        }
                        Some(b'z') => {
                            self.buff.pop(); // remove '\\'
                            self.advance(); // skip the 'z'
                            while let Some(c) = self.cur() {
                                if !is_space(c) {
                                    break;
                                }
                                if self.cur_is_newline() {
                                    self.inclinenumber()?;
                                } else {
                                    self.advance();
                                }
                            }
                        }
                        Some(c) => {
                            if let Some(v) = simple(c) {
                                self.advance();
                                self.buff.pop();
                                self.buff.push(v);
                            } else {
                                self.esc_check(c.is_ascii_digit(), "invalid escape sequence")?;
                                let v = self.read_dec_esc()?;
                                self.buff.pop();
                                self.buff.push(v);
                            }
                        }
                    }
                }
                _ => self.save_and_next(),
            }
        }
        self.save_and_next(); // skip delimiter
        let n = self.buff.len();
        Ok(self
            .buff
            .get(1..n.saturating_sub(1))
            .unwrap_or(&[])
            .to_vec())
    }

    fn read_numeral(&mut self) -> LexResult<Token> {
        let mut expo = b"Ee";
        let first = self.cur();
        self.save_and_next();
        if first == Some(b'0') && self.check_next2(b"xX") {
            expo = b"Pp";
        }
        loop {
            if self.check_next2(expo) {
                self.check_next2(b"-+");
            } else if self
                .cur()
                .is_some_and(|c| c.is_ascii_hexdigit() || c == b'.')
            {
                self.save_and_next();
            } else {
                break;
            }
        }
        if self.cur().is_some_and(is_alpha) {
            self.save_and_next(); // force an error
        }
        match str2number(&self.buff) {
            Some(t) => Ok(t),
            None => Err(self.lex_error("malformed number", Near::Buffer)),
        }
    }

    /// `llex`: scans one token.
    fn llex(&mut self) -> LexResult<Token> {
        self.buff.clear();
        loop {
            let Some(c) = self.cur() else {
                return Ok(Token::Eos);
            };
            match c {
                b'\n' | b'\r' => self.inclinenumber()?,
                b' ' | b'\t' | 0x0b | 0x0c => self.pos += 1,
                b'-' => {
                    self.pos += 1;
                    if self.cur() != Some(b'-') {
                        return Ok(Token::Char(b'-'));
                    }
                    self.pos += 1;
                    if self.cur() == Some(b'[') {
                        let sep = self.skip_sep();
                        self.buff.clear();
                        if sep >= 2 {
                            self.read_long_string(false, sep)?;
                            self.buff.clear();
                            continue;
                        }
                    }
                    // short comment
                    while let Some(c) = self.cur() {
                        if c == b'\n' || c == b'\r' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                b'[' => {
                    let sep = self.skip_sep();
                    if sep >= 2 {
                        let s = self.read_long_string(true, sep)?;
                        return Ok(Token::Str(s.unwrap_or_default()));
                    } else if sep == 0 {
                        return Err(self.lex_error("invalid long string delimiter", Near::Buffer));
                    }
                    return Ok(Token::Char(b'['));
                }
                b'=' => {
                    self.pos += 1;
                    return Ok(if self.check_next1(b'=') {
                        Token::Eq
                    } else {
                        Token::Char(b'=')
                    });
                }
                b'<' => {
                    self.pos += 1;
                    return Ok(if self.check_next1(b'=') {
                        Token::Le
                    } else if self.check_next1(b'<') {
                        Token::Shl
                    } else {
                        Token::Char(b'<')
                    });
                }
                b'>' => {
                    self.pos += 1;
                    return Ok(if self.check_next1(b'=') {
                        Token::Ge
                    } else if self.check_next1(b'>') {
                        Token::Shr
                    } else {
                        Token::Char(b'>')
                    });
                }
                b'/' => {
                    self.pos += 1;
                    return Ok(if self.check_next1(b'/') {
                        Token::IDiv
                    } else {
                        Token::Char(b'/')
                    });
                }
                b'~' => {
                    self.pos += 1;
                    return Ok(if self.check_next1(b'=') {
                        Token::Ne
                    } else {
                        Token::Char(b'~')
                    });
                }
                b':' => {
                    self.pos += 1;
                    return Ok(if self.check_next1(b':') {
                        Token::DbColon
                    } else {
                        Token::Char(b':')
                    });
                }
                b'"' | b'\'' => return Ok(Token::Str(self.read_string(c)?)),
                b'.' => {
                    self.save_and_next();
                    if self.check_next1(b'.') {
                        return Ok(if self.check_next1(b'.') {
                            Token::Dots
                        } else {
                            Token::Concat
                        });
                    } else if !self.cur().is_some_and(|c| c.is_ascii_digit()) {
                        return Ok(Token::Char(b'.'));
                    } else {
                        return self.read_numeral();
                    }
                }
                b'0'..=b'9' => return self.read_numeral(),
                _ if is_alpha(c) => {
                    let start = self.pos;
                    while self.cur().is_some_and(is_alnum) {
                        self.pos += 1;
                    }
                    let word = &self.src[start..self.pos];
                    self.buff.extend_from_slice(word);
                    if let Some(t) = reserved(word) {
                        return Ok(t);
                    }
                    return Ok(Token::Name(String::from_utf8_lossy(word).into_owned()));
                }
                _ => {
                    self.pos += 1;
                    return Ok(Token::Char(c));
                }
            }
        }
    }
}

/// `luaO_utf8esc`: appends `x` (up to 2^31) encoded as (extended, up to 6 bytes) UTF-8.
fn utf8_esc(out: &mut Vec<u8>, mut x: u32) {
    if x < 0x80 {
        out.push(x as u8);
        return;
    }
    let mut tmp = [0u8; 8];
    let mut n = 0;
    let mut mfb: u32 = 0x3f; // maximum that fits in first byte
    loop {
        tmp[n] = 0x80 | (x & 0x3f) as u8;
        n += 1;
        x >>= 6;
        mfb >>= 1;
        if x <= mfb {
            break;
        }
    }
    let first = ((!mfb << 1) | x) as u8;
    out.push(first);
    for i in (0..n).rev() {
        out.push(tmp[i]);
    }
}

/// `luaO_str2num` restricted to what the lexer can produce (no spaces, no sign):
/// an integer if the text is a valid integer numeral that fits, else a float.
pub fn str2number(s: &[u8]) -> Option<Token> {
    if let Some(i) = str2int(s) {
        return Some(Token::Int(i));
    }
    str2float(s).map(Token::Flt)
}

fn str2int(s: &[u8]) -> Option<i64> {
    let mut a: u64 = 0;
    if s.len() >= 2 && s[0] == b'0' && (s[1] == b'x' || s[1] == b'X') {
        let digits = &s[2..];
        if digits.is_empty() {
            return None;
        }
        for &c in digits {
            if !c.is_ascii_hexdigit() {
                return None;
            }
            a = a.wrapping_mul(16).wrapping_add(hex_value(c) as u64);
        }
    } else {
        if s.is_empty() {
            return None;
        }
        const MAXBY10: u64 = (i64::MAX / 10) as u64;
        const MAXLASTD: u64 = (i64::MAX % 10) as u64;
        for &c in s {
            if !c.is_ascii_digit() {
                return None;
            }
            let d = (c - b'0') as u64;
            if a >= MAXBY10 && (a > MAXBY10 || d > MAXLASTD) {
                return None; // overflow: not accepted as an integer
            }
            a = a * 10 + d;
        }
    }
    Some(a as i64)
}

fn str2float(s: &[u8]) -> Option<f64> {
    // `l_str2d`: the first of ".xXnN" selects the mode; 'n' rejects inf/nan.
    let mode = s
        .iter()
        .find(|&&c| matches!(c, b'.' | b'x' | b'X' | b'n' | b'N'))
        .map(|c| c.to_ascii_lowercase());
    match mode {
        Some(b'n') => None,
        Some(b'x') => hex_float(s),
        _ => decimal_float(s),
    }
}

/// `strtod` on a decimal numeral that must be consumed entirely.
fn decimal_float(s: &[u8]) -> Option<f64> {
    // Validate the C grammar: digits [. digits] [(e|E) [+-] digits], at least one digit
    // in the mantissa. (Rust's parser would also accept "inf"/"nan", which cannot reach
    // here, but validate anyway.)
    let mut i = 0;
    let mut mant_digits = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
        mant_digits += 1;
    }
    if i < s.len() && s[i] == b'.' {
        i += 1;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
            mant_digits += 1;
        }
    }
    if mant_digits == 0 {
        return None;
    }
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        i += 1;
        if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
            i += 1;
        }
        let st = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        if i == st {
            return None;
        }
    }
    if i != s.len() {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse::<f64>().ok()
}

/// C99 `strtod` on a hexadecimal numeral (`0x` prefix, optional fraction and binary
/// exponent), correctly rounded (round-half-even), consuming the whole text.
fn hex_float(s: &[u8]) -> Option<f64> {
    if s.len() < 2 || s[0] != b'0' || !(s[1] == b'x' || s[1] == b'X') {
        return None;
    }
    let mut i = 2;
    let mut mant: u64 = 0;
    let mut exp: i64 = 0; // value = mant * 2^exp (+ sticky)
    let mut sticky = false;
    let mut any = false;
    let mut seen_dot = false;
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_hexdigit() {
            any = true;
            let d = hex_value(c) as u64;
            if mant < (1u64 << 60) {
                mant = mant * 16 + d;
                if seen_dot {
                    exp -= 4;
                }
            } else {
                if d != 0 {
                    sticky = true;
                }
                if !seen_dot {
                    exp += 4;
                }
            }
        } else if c == b'.' && !seen_dot {
            seen_dot = true;
        } else {
            break;
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if i < s.len() && (s[i] == b'p' || s[i] == b'P') {
        i += 1;
        let mut neg = false;
        if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
            neg = s[i] == b'-';
            i += 1;
        }
        let st = i;
        let mut e: i64 = 0;
        while i < s.len() && s[i].is_ascii_digit() {
            e = (e * 10 + (s[i] - b'0') as i64).min(1 << 40);
            i += 1;
        }
        if i == st {
            return None;
        }
        exp += if neg { -e } else { e };
    }
    if i != s.len() {
        return None;
    }
    Some(make_float(mant, exp, sticky))
}

/// Correctly rounds `mant * 2^exp` (plus a sticky bit below `mant`) to an `f64`.
fn make_float(mut mant: u64, mut exp: i64, sticky: bool) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    let nbits = 64 - mant.leading_zeros() as i64;
    let e2 = exp + nbits - 1; // value in [2^e2, 2^(e2+1))
    if e2 > 1023 {
        return f64::INFINITY;
    }
    // Precision available at this magnitude (53 bits for normals, fewer for subnormals).
    let prec = if e2 >= -1022 { 53 } else { 53 - (-1022 - e2) };
    let shift = nbits - prec;
    if shift > 0 {
        if shift > 64 {
            return 0.0;
        }
        let (rem, half) = if shift == 64 {
            (mant, 1u64 << 63)
        } else {
            (mant & ((1u64 << shift) - 1), 1u64 << (shift - 1))
        };
        mant = if shift == 64 { 0 } else { mant >> shift };
        exp += shift;
        let round_up = rem > half || (rem == half && (sticky || mant & 1 == 1));
        if round_up {
            mant += 1;
        }
        if mant == 0 {
            return 0.0;
        }
    }
    ldexp(mant as f64, exp)
}

fn pow2(e: i64) -> f64 {
    // e in [-1022, 1023]
    f64::from_bits(((e + 1023) as u64) << 52)
}

/// `x * 2^e`, exact when the result is representable.
fn ldexp(mut x: f64, mut e: i64) -> f64 {
    while e > 1023 {
        x *= pow2(1023);
        e -= 1023;
        if x.is_infinite() {
            return x;
        }
    }
    while e < -1022 {
        x *= pow2(-1022);
        e += 1022;
        if x == 0.0 {
            return x;
        }
    }
    x * pow2(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex_all(src: &str) -> Result<Vec<Token>, String> {
        let mut lx = Lexer::new(src.as_bytes(), "input".to_string());
        let mut out = Vec::new();
        loop {
            lx.next_token().map_err(|e| e.message.clone())?;
            if lx.token == Token::Eos {
                return Ok(out);
            }
            out.push(lx.token.clone());
        }
    }

    fn one(src: &str) -> Token {
        let v = lex_all(src).unwrap();
        assert_eq!(v.len(), 1, "{src}: {v:?}");
        v.into_iter().next().unwrap()
    }

    fn err(src: &str) -> String {
        lex_all(src).unwrap_err()
    }

    fn s(src: &str) -> Vec<u8> {
        match one(src) {
            Token::Str(s) => s,
            t => panic!("not a string: {t:?}"),
        }
    }

    #[test]
    fn integers() {
        assert_eq!(one("0"), Token::Int(0));
        assert_eq!(one("42"), Token::Int(42));
        assert_eq!(one("9223372036854775807"), Token::Int(i64::MAX));
        assert_eq!(
            one("9223372036854775808"),
            Token::Flt(9223372036854775808.0)
        );
        assert_eq!(one("0xff"), Token::Int(255));
        assert_eq!(one("0XfF"), Token::Int(255));
        assert_eq!(one("0xffffffffffffffff"), Token::Int(-1));
        assert_eq!(one("0x7fffffffffffffff"), Token::Int(i64::MAX));
        assert_eq!(one("0x8000000000000000"), Token::Int(i64::MIN));
        // wraps modulo 2^64
        assert_eq!(
            one("0x123456789abcdef0123"),
            Token::Int(5001117282205630755)
        );
        assert_eq!(one("0x10000000000000000"), Token::Int(0));
        assert_eq!(
            one("123456789012345678901234567890"),
            Token::Flt(1.2345678901234568e29)
        );
    }

    #[test]
    fn floats() {
        assert_eq!(one("1.5"), Token::Flt(1.5));
        assert_eq!(one(".5"), Token::Flt(0.5));
        assert_eq!(one("5."), Token::Flt(5.0));
        assert_eq!(one("1e2"), Token::Flt(100.0));
        assert_eq!(one("1E+2"), Token::Flt(100.0));
        assert_eq!(one("1.e-2"), Token::Flt(0.01));
        assert_eq!(one("3.0"), Token::Flt(3.0));
        assert_eq!(one("1e309"), Token::Flt(f64::INFINITY));
        assert_eq!(one("1e99999999999999999999"), Token::Flt(f64::INFINITY));
        assert_eq!(one("1e-99999999999999999999"), Token::Flt(0.0));
        assert_eq!(one("0.1"), Token::Flt(0.1));
        assert_eq!(one("0x1p4"), Token::Flt(16.0));
        assert_eq!(one("0x1P+4"), Token::Flt(16.0));
        assert_eq!(one("0x1p-2"), Token::Flt(0.25));
        assert_eq!(one("0x.8"), Token::Flt(0.5));
        assert_eq!(one("0xA.8p-1"), Token::Flt(5.25));
        assert_eq!(one("0x1.0"), Token::Flt(1.0));
        assert_eq!(one("0xA."), Token::Flt(10.0));
        assert_eq!(one("0x1p-1074"), Token::Flt(f64::from_bits(1)));
        assert_eq!(one("0x1p-1075"), Token::Flt(0.0));
        assert_eq!(one("0x3p-1076"), Token::Flt(f64::from_bits(1)));
        assert_eq!(one("0x1p1024"), Token::Flt(f64::INFINITY));
        assert_eq!(one("0x1.fffffffffffff8p1023"), Token::Flt(f64::INFINITY));
        assert_eq!(one("0x1.fffffffffffff7p1023"), Token::Flt(f64::MAX));
        // rounding with more than 16 hex digits: half-even and sticky bits
        assert_eq!(one("0x1.00000000000008p0"), Token::Flt(1.0));
        assert_eq!(
            one("0x1.000000000000080000001p0"),
            Token::Flt(1.0 + f64::EPSILON)
        );
        assert_eq!(
            one("0x1.00000000000018p0"),
            Token::Flt(1.0 + 2.0 * f64::EPSILON)
        );
        assert_eq!(
            one("0x123456789abcdef0123p0"),
            Token::Flt(5.373003642731685e21)
        );
        assert_eq!(one("0x1p99999999999999999999"), Token::Flt(f64::INFINITY));
    }

    #[test]
    fn malformed_numbers() {
        assert_eq!(err("3x"), "input:1: malformed number near '3x'");
        assert_eq!(err("1..2"), "input:1: malformed number near '1..2'");
        assert_eq!(err("0x"), "input:1: malformed number near '0x'");
        assert_eq!(err("1e"), "input:1: malformed number near '1e'");
        assert_eq!(err("1e+"), "input:1: malformed number near '1e+'");
        assert_eq!(err("0x1p"), "input:1: malformed number near '0x1p'");
        assert_eq!(err("3abc"), "input:1: malformed number near '3abc'");
        assert_eq!(err("0xg"), "input:1: malformed number near '0xg'");
        assert_eq!(err("1.5n"), "input:1: malformed number near '1.5n'");
        assert_eq!(err("0x.p1"), "input:1: malformed number near '0x.p1'");
        // a numeral followed by '+' is fine: the sign only belongs to an exponent
        assert_eq!(
            lex_all("0x1e+5").unwrap(),
            vec![Token::Int(30), Token::Char(b'+'), Token::Int(5)]
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(
            s(r#""\a\b\f\n\r\t\v\\\"\'""#),
            b"\x07\x08\x0c\n\r\t\x0b\\\"'"
        );
        assert_eq!(s("'a\\\nb'"), b"a\nb");
        assert_eq!(s("'a\\\r\nb'"), b"a\nb");
        assert_eq!(s("'a\\z  \n\t  b'"), b"ab");
        assert_eq!(s(r#""\x41\x7a\xFF""#), b"Az\xff");
        assert_eq!(s(r#""\65\0669\0\255""#), b"AB9\x00\xff");
        assert_eq!(
            s(r#""\u{41}\u{7FF}\u{FFFF}""#),
            "A\u{7ff}\u{ffff}".as_bytes()
        );
        assert_eq!(s(r#""\u{10FFFF}""#), "\u{10ffff}".as_bytes());
        assert_eq!(s(r#""\u{7FFFFFFF}""#), b"\xfd\xbf\xbf\xbf\xbf\xbf");
        assert_eq!(s(r#""\u{200000}""#), b"\xf8\x88\x80\x80\x80");
        assert_eq!(s(r#""\u{0000041}""#), b"A");
        assert_eq!(s("'\"'"), b"\"");
        assert_eq!(s("''"), b"");
    }

    #[test]
    fn string_errors() {
        assert_eq!(
            err(r#""\q""#),
            r#"input:1: invalid escape sequence near '"\q'"#
        );
        assert_eq!(
            err(r#""\256""#),
            r#"input:1: decimal escape too large near '"\256"'"#
        );
        assert_eq!(
            err(r#""\xg""#),
            r#"input:1: hexadecimal digit expected near '"\xg'"#
        );
        assert_eq!(
            err(r#""\x5g""#),
            r#"input:1: hexadecimal digit expected near '"\x5g'"#
        );
        assert_eq!(
            err(r#""\u{80000000}""#),
            r#"input:1: UTF-8 value too large near '"\u{80000000'"#
        );
        assert_eq!(err(r#""\u12""#), r#"input:1: missing '{' near '"\u1'"#);
        assert_eq!(err(r#""\u{12""#), r#"input:1: missing '}' near '"\u{12"'"#);
        assert_eq!(
            err(r#""\u{}""#),
            r#"input:1: hexadecimal digit expected near '"\u{}'"#
        );
        assert_eq!(err("\"abc"), "input:1: unfinished string near <eof>");
        assert_eq!(err("\"abc\n\""), "input:1: unfinished string near '\"abc'");
        assert_eq!(err("\"ab\\"), "input:1: unfinished string near <eof>");
        assert_eq!(err("'a\\tb"), "input:1: unfinished string near <eof>");
        assert_eq!(
            err("'\\x"),
            "input:1: hexadecimal digit expected near ''\\x'"
        );
    }

    #[test]
    fn long_brackets() {
        assert_eq!(s("[[abc]]"), b"abc");
        assert_eq!(s("[[\nabc]]"), b"abc");
        assert_eq!(s("[[\r\nabc]]"), b"abc");
        assert_eq!(s("[[\n\nabc]]"), b"\nabc");
        assert_eq!(s("[==[a]]b]=]c]==]"), b"a]]b]=]c");
        assert_eq!(s("[[a\r\nb\n\rc\rd]]"), b"a\nb\nc\nd");
        assert_eq!(s("[=[]=]"), b"");
        assert_eq!(
            err("[==x"),
            "input:1: invalid long string delimiter near '[=='"
        );
        assert_eq!(
            err("x = [[abc"),
            "input:1: unfinished long string (starting at line 1) near <eof>"
        );
        assert_eq!(
            err("\n--[[abc\n"),
            "input:3: unfinished long comment (starting at line 2) near <eof>"
        );
        assert_eq!(lex_all("--[==[ x ]] ]==] 1").unwrap(), vec![Token::Int(1)]);
        assert_eq!(lex_all("--[=x\n1").unwrap(), vec![Token::Int(1)]);
        assert_eq!(lex_all("--\n1 -- 2").unwrap(), vec![Token::Int(1)]);
        assert_eq!(
            lex_all("[=").unwrap_err(),
            "input:1: invalid long string delimiter near '[='"
        );
        assert_eq!(lex_all("[ [").unwrap(), vec![Token::Char(b'['); 2]);
    }

    #[test]
    fn symbols_and_names() {
        use Token::*;
        assert_eq!(
            lex_all("a // b .. c ... == >= <= ~= << >> :: ~ : < > = / . ; #").unwrap(),
            vec![
                Name("a".into()),
                IDiv,
                Name("b".into()),
                Concat,
                Name("c".into()),
                Dots,
                Eq,
                Ge,
                Le,
                Ne,
                Shl,
                Shr,
                DbColon,
                Char(b'~'),
                Char(b':'),
                Char(b'<'),
                Char(b'>'),
                Char(b'='),
                Char(b'/'),
                Char(b'.'),
                Char(b';'),
                Char(b'#'),
            ]
        );
        assert_eq!(
            lex_all("and break do else elseif end false for function goto if in local nil not or repeat return then true until while _x1 Goto")
                .unwrap(),
            vec![
                And, Break, Do, Else, Elseif, End, False, For, Function, Goto, If, In, Local,
                Nil, Not, Or, Repeat, Return, Then, True, Until, While,
                Name("_x1".into()),
                Name("Goto".into())
            ]
        );
    }

    #[test]
    fn line_counting() {
        let mut lx = Lexer::new(b"a\nb\rc\r\nd\n\re\n\nf", "input".to_string());
        let mut lines = Vec::new();
        loop {
            lx.next_token().unwrap();
            if lx.token == Token::Eos {
                break;
            }
            lines.push(lx.linenumber);
        }
        assert_eq!(lines, vec![1, 2, 3, 4, 5, 7]);
    }

    #[test]
    fn utf8_encoding() {
        for &cp in &[0u32, 0x7f, 0x80, 0x7ff, 0x800, 0xffff, 0x10000, 0x10ffff] {
            let mut v = Vec::new();
            utf8_esc(&mut v, cp);
            assert_eq!(v, char::from_u32(cp).unwrap().to_string().as_bytes());
        }
        let mut v = Vec::new();
        utf8_esc(&mut v, 0x3ffffff);
        assert_eq!(v, b"\xfb\xbf\xbf\xbf\xbf");
        let mut v = Vec::new();
        utf8_esc(&mut v, 0x4000000);
        assert_eq!(v, b"\xfc\x84\x80\x80\x80\x80");
    }
}
