//! The io library (`liolib.c`), trusted mode only: files are full userdata sharing the
//! metatable `registry["FILE*"]` (`__name` "FILE*"), with their own read-ahead and write
//! buffers over `std::fs::File` and the process's standard streams.
//!
//! Differences from lua5.4:
//! * `io.popen` raises "'popen' not supported" (no subprocess pipes).
//! * Files are not closed by the garbage collector through `__gc` (the collector runs no
//!   finalizers); dropping a collected file flushes and closes it all the same, and
//!   `os.exit` flushes every open file as C's `exit` does.
//! * Writes to `io.stdout` share the buffer of `print` (Rust's line-buffered standard
//!   output; `print` flushes it) so their output interleaves in program order. When the
//!   host redirects `print` (`Vm::print_hook`), `io.stdout` writes go there too.

use std::cell::{Cell, RefCell};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::rc::{Rc, Weak};

use crate::args::Args;
use crate::error::LuaResult;
use crate::function::{NativeClosure, NativeFn};
use crate::gc::Gc;
use crate::number;
use crate::state::Vm;
use crate::table::Table;
use crate::userdata::UserData;
use crate::value::Value;

/// Registry key of the file metatable (`LUA_FILEHANDLE`).
const FILEHANDLE: &str = "FILE*";
const IO_INPUT: &str = "_IO_input";
const IO_OUTPUT: &str = "_IO_output";
/// Buffer size of fully buffered files (`LUAL_BUFFERSIZE`-like).
const BUFSIZE: usize = 8192;
/// Longest numeral `read("n")` accepts (`L_MAXLENNUM`).
const MAXLENNUM: usize = 200;
/// Most formats `lines` takes (`MAXARGLINE`).
const MAXARGLINE: usize = 250;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum BufMode {
    No,
    Full,
    Line,
}

enum Kind {
    Stdin,
    Stdout,
    Stderr,
    File(File),
    Closed,
}

/// An open stream: the handle plus C-stdio-like buffers.
pub struct Stream {
    kind: Kind,
    rbuf: Vec<u8>,
    rpos: usize,
    wbuf: Vec<u8>,
    mode: BufMode,
    /// A standard stream: `close` refuses ("cannot close standard file").
    standard: bool,
    /// The last read error (`ferror`), cleared by each read call.
    read_err: Option<io::Error>,
    /// Opened for writing (C's stream flags: a write to a read-only stream fails at once).
    writable: bool,
}

/// The payload of a `FILE*` userdata.
pub struct LuaFile(pub Rc<RefCell<Stream>>);

thread_local! {
    /// Every stream opened in this thread, so `os.exit` can flush them as C's `exit` does.
    static OPEN_STREAMS: RefCell<Vec<Weak<RefCell<Stream>>>> = const { RefCell::new(Vec::new()) };
}

/// Flushes every open stream and standard output (before the process exits).
pub fn flush_all() {
    OPEN_STREAMS.with(|l| {
        for w in l.borrow().iter() {
            if let Some(s) = w.upgrade() {
                if let Ok(mut s) = s.try_borrow_mut() {
                    let _ = s.flush_wbuf();
                }
            }
        }
    });
    let _ = io::stdout().flush();
}

/// Message and errno of an I/O error, as `strerror` prints it.
pub fn os_error(e: &io::Error) -> (String, i64) {
    let code = e.raw_os_error().unwrap_or(0) as i64;
    let mut msg = e.to_string();
    if let Some(p) = msg.find(" (os error ") {
        msg.truncate(p);
    }
    (msg, code)
}

impl Stream {
    fn new(kind: Kind, standard: bool) -> Stream {
        let mode = match kind {
            Kind::Stderr => BufMode::No,
            Kind::Stdout => BufMode::Line,
            _ => BufMode::Full,
        };
        Stream {
            kind,
            rbuf: Vec::new(),
            rpos: 0,
            wbuf: Vec::new(),
            mode,
            standard,
            read_err: None,
            writable: true,
        }
    }

    fn is_closed(&self) -> bool {
        matches!(self.kind, Kind::Closed)
    }

    fn raw_write(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.kind {
            Kind::File(f) => f.write_all(bytes),
            Kind::Stdout => io::stdout().lock().write_all(bytes),
            Kind::Stderr => io::stderr().lock().write_all(bytes),
            Kind::Stdin => Err(io::Error::from_raw_os_error(9)),
            Kind::Closed => Err(io::Error::from_raw_os_error(9)),
        }
    }

    fn flush_wbuf(&mut self) -> io::Result<()> {
        if !self.wbuf.is_empty() {
            let buf = std::mem::take(&mut self.wbuf);
            self.raw_write(&buf)?;
        }
        match &mut self.kind {
            Kind::Stdout => io::stdout().flush(),
            Kind::Stderr => io::stderr().flush(),
            _ => Ok(()),
        }
    }

    /// Drops read-ahead bytes, moving the file position back to the logical position.
    fn drop_readahead(&mut self) -> io::Result<()> {
        let unread = self.rbuf.len() - self.rpos;
        self.rbuf.clear();
        self.rpos = 0;
        if unread > 0 {
            if let Kind::File(f) = &mut self.kind {
                f.seek(SeekFrom::Current(-(unread as i64)))?;
            }
        }
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if !self.writable {
            return Err(io::Error::from_raw_os_error(9));
        }
        if self.rpos < self.rbuf.len() || !self.rbuf.is_empty() {
            self.drop_readahead()?;
        }
        match self.kind {
            // Standard output/error keep no buffer of their own.
            Kind::Stdout | Kind::Stderr => {
                self.raw_write(bytes)?;
                if self.mode == BufMode::No {
                    self.flush_wbuf()?;
                }
                Ok(())
            }
            _ => {
                self.wbuf.extend_from_slice(bytes);
                let flush = match self.mode {
                    BufMode::No => true,
                    BufMode::Line => bytes.contains(&b'\n'),
                    BufMode::Full => self.wbuf.len() >= BUFSIZE,
                };
                if flush {
                    self.flush_wbuf()?;
                }
                Ok(())
            }
        }
    }

    /// Reads more bytes into the read-ahead buffer; false at end of file or on error.
    fn fill(&mut self) -> bool {
        if !self.wbuf.is_empty() {
            if let Err(e) = self.flush_wbuf() {
                self.read_err = Some(e);
                return false;
            }
        }
        self.rbuf.clear();
        self.rpos = 0;
        self.rbuf.resize(BUFSIZE, 0);
        let r = match &mut self.kind {
            Kind::File(f) => f.read(&mut self.rbuf),
            Kind::Stdin => {
                let _ = io::stdout().flush();
                io::stdin().lock().read(&mut self.rbuf)
            }
            _ => Err(io::Error::from_raw_os_error(9)),
        };
        match r {
            Ok(n) => {
                self.rbuf.truncate(n);
                n > 0
            }
            Err(e) => {
                self.rbuf.clear();
                self.read_err = Some(e);
                false
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        if self.rpos >= self.rbuf.len() && !self.fill() {
            return None;
        }
        Some(self.rbuf[self.rpos])
    }

    fn getc(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.rpos += 1;
        Some(c)
    }

    /// `read_line`: a line with or without its newline; `None` at end of file.
    fn read_line(&mut self, keep_nl: bool) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            if self.rpos >= self.rbuf.len() && !self.fill() {
                return if out.is_empty() { None } else { Some(out) };
            }
            let avail = &self.rbuf[self.rpos..];
            match avail.iter().position(|&c| c == b'\n') {
                Some(i) => {
                    out.extend_from_slice(&avail[..i]);
                    if keep_nl {
                        out.push(b'\n');
                    }
                    self.rpos += i + 1;
                    return Some(out);
                }
                None => {
                    out.extend_from_slice(avail);
                    self.rpos = self.rbuf.len();
                }
            }
        }
    }

    fn read_all(&mut self) -> Vec<u8> {
        let mut out = self.rbuf[self.rpos..].to_vec();
        self.rpos = self.rbuf.len();
        while self.fill() {
            out.extend_from_slice(&self.rbuf);
            self.rpos = self.rbuf.len();
        }
        out
    }

    fn read_chars(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        while out.len() < n {
            if self.rpos >= self.rbuf.len() && !self.fill() {
                break;
            }
            let take = (n - out.len()).min(self.rbuf.len() - self.rpos);
            out.extend_from_slice(&self.rbuf[self.rpos..self.rpos + take]);
            self.rpos += take;
        }
        out
    }

    /// `read_number`'s scanner (`l_getn`): the longest prefix that can start a numeral.
    fn read_numeral(&mut self) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut ok = true;
        while self.peek().is_some_and(number::is_c_space) {
            self.rpos += 1;
        }
        // `nextc`: accept the look-ahead character.
        let mut nextc = |s: &mut Stream, buf: &mut Vec<u8>| -> bool {
            if buf.len() >= MAXLENNUM {
                ok = false;
                return false;
            }
            if let Some(c) = s.getc() {
                buf.push(c);
            }
            true
        };
        let test2 = |s: &mut Stream, set: &[u8; 2]| -> bool {
            matches!(s.peek(), Some(c) if c == set[0] || c == set[1])
        };
        let mut count = 0;
        let mut hex = false;
        if test2(self, b"-+") {
            nextc(self, &mut buf);
        }
        if test2(self, b"00") && nextc(self, &mut buf) {
            if test2(self, b"xX") && nextc(self, &mut buf) {
                hex = true;
            } else {
                count = 1;
            }
        }
        let readdigits = |s: &mut Stream,
                          buf: &mut Vec<u8>,
                          hex: bool,
                          nextc: &mut dyn FnMut(&mut Stream, &mut Vec<u8>) -> bool|
         -> usize {
            let mut n = 0;
            while s.peek().is_some_and(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            }) && nextc(s, buf)
            {
                n += 1;
            }
            n
        };
        count += readdigits(self, &mut buf, hex, &mut nextc);
        if test2(self, b"..") && nextc(self, &mut buf) {
            count += readdigits(self, &mut buf, hex, &mut nextc);
        }
        if count > 0 && test2(self, if hex { b"pP" } else { b"eE" }) && nextc(self, &mut buf) {
            if test2(self, b"-+") {
                nextc(self, &mut buf);
            }
            readdigits(self, &mut buf, false, &mut nextc);
        }
        if !ok {
            buf.clear();
        }
        buf
    }

    fn seek(&mut self, whence: usize, offset: i64) -> io::Result<u64> {
        self.flush_wbuf()?;
        let unread = (self.rbuf.len() - self.rpos) as i64;
        self.rbuf.clear();
        self.rpos = 0;
        match &mut self.kind {
            Kind::File(f) => {
                let pos = match whence {
                    0 => SeekFrom::Start(offset.max(0) as u64),
                    1 => SeekFrom::Current(offset - unread),
                    _ => SeekFrom::End(offset),
                };
                if whence == 0 && offset < 0 {
                    return Err(io::Error::from_raw_os_error(22));
                }
                f.seek(pos)
            }
            Kind::Closed => Err(io::Error::from_raw_os_error(9)),
            // The standard streams seek on their descriptors (pipes and terminals fail
            // with "Illegal seek").
            Kind::Stdin | Kind::Stdout | Kind::Stderr => {
                use std::os::unix::io::FromRawFd;
                let fd = match self.kind {
                    Kind::Stdin => 0,
                    Kind::Stdout => 1,
                    _ => 2,
                };
                // SAFETY: the descriptor stays open for the whole process; ManuallyDrop
                // keeps this temporary `File` from closing it.
                let mut f = std::mem::ManuallyDrop::new(unsafe { File::from_raw_fd(fd) });
                let pos = match whence {
                    0 if offset < 0 => return Err(io::Error::from_raw_os_error(22)),
                    0 => SeekFrom::Start(offset as u64),
                    1 => SeekFrom::Current(offset - unread),
                    _ => SeekFrom::End(offset),
                };
                f.seek(pos)
            }
        }
    }

    fn close(&mut self) -> io::Result<()> {
        let r = self.flush_wbuf();
        let r2 = match &mut self.kind {
            Kind::File(f) => f.sync_data().or(Ok(())),
            _ => Ok(()),
        };
        self.kind = Kind::Closed;
        self.rbuf.clear();
        self.rpos = 0;
        r.and(r2)
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        let _ = self.flush_wbuf();
    }
}

fn register_stream(rc: &Rc<RefCell<Stream>>) {
    OPEN_STREAMS.with(|l| {
        let mut l = l.borrow_mut();
        if l.len() >= 64 && l.len().is_power_of_two() {
            l.retain(|w| w.strong_count() > 0);
        }
        l.push(Rc::downgrade(rc));
    });
}

/// Registers the `io` library and the file metatable.
pub fn open(vm: &mut Vm) {
    let methods: &[(&str, NativeFn)] = &[
        ("read", f_read),
        ("write", f_write),
        ("lines", f_lines),
        ("flush", f_flush),
        ("seek", f_seek),
        ("close", f_close),
        ("setvbuf", f_setvbuf),
    ];
    let meth = vm.new_table();
    for &(name, f) in methods {
        vm.set_field(meth, name, Value::Native(f));
    }
    let mt = vm.new_table();
    vm.set_field(mt, "__index", Value::Table(meth));
    vm.set_field(mt, "__gc", Value::Native(f_gc));
    vm.set_field(mt, "__close", Value::Native(f_gc));
    vm.set_field(mt, "__tostring", Value::Native(f_tostring));
    let name = vm.new_str(FILEHANDLE.as_bytes());
    vm.set_field(mt, "__name", name);
    let reg = vm.registry;
    vm.set_field(reg, FILEHANDLE, Value::Table(mt));

    let funcs: &[(&str, NativeFn)] = &[
        ("close", io_close),
        ("flush", io_flush),
        ("input", io_input),
        ("lines", io_lines),
        ("open", io_open),
        ("output", io_output),
        ("popen", io_popen),
        ("read", io_read),
        ("tmpfile", io_tmpfile),
        ("type", io_type),
        ("write", io_write),
    ];
    let t = vm.new_table();
    for &(name, f) in funcs {
        vm.set_field(t, name, Value::Native(f));
    }
    let mut stdin_stream = Stream::new(Kind::Stdin, true);
    stdin_stream.writable = false;
    let stdin = new_file(vm, stdin_stream);
    let stdout = new_file(vm, Stream::new(Kind::Stdout, true));
    let stderr = new_file(vm, Stream::new(Kind::Stderr, true));
    vm.set_field(t, "stdin", stdin);
    vm.set_field(t, "stdout", stdout);
    vm.set_field(t, "stderr", stderr);
    vm.set_field(reg, IO_INPUT, stdin);
    vm.set_field(reg, IO_OUTPUT, stdout);
    vm.set_global("io", Value::Table(t));
}

fn file_meta(vm: &mut Vm) -> Option<Gc<Table>> {
    let k = vm.intern(FILEHANDLE.as_bytes());
    vm.registry.get_str(k).as_table()
}

fn new_file(vm: &mut Vm, s: Stream) -> Value {
    let rc = Rc::new(RefCell::new(s));
    register_stream(&rc);
    let mt = file_meta(vm);
    let ud = vm.heap.alloc(UserData {
        data: RefCell::new(Box::new(LuaFile(rc))),
        metatable: Cell::new(mt),
        user_value: Cell::new(Value::Nil),
    });
    Value::UserData(ud)
}

/// The stream of `v` if it is a `FILE*` userdata (`luaL_testudata`).
fn test_file(vm: &mut Vm, v: Value) -> Option<Rc<RefCell<Stream>>> {
    let Value::UserData(ud) = v else {
        return None;
    };
    let mt = file_meta(vm)?;
    if ud.metatable.get() != Some(mt) {
        return None;
    }
    let data = ud.data.borrow();
    data.downcast_ref::<LuaFile>().map(|f| f.0.clone())
}

/// `tolstream`: argument `i` must be a `FILE*` (open or closed).
fn to_stream(vm: &mut Vm, args: &Args, i: usize) -> LuaResult<Rc<RefCell<Stream>>> {
    let v = args.get(vm, i);
    match test_file(vm, v) {
        Some(s) => Ok(s),
        None => Err(vm.type_arg_error(i, FILEHANDLE, v, !args.is_none(i))),
    }
}

/// `tofile`: argument 1 must be an open file.
fn to_file(vm: &mut Vm, args: &Args) -> LuaResult<Rc<RefCell<Stream>>> {
    let s = to_stream(vm, args, 1)?;
    if s.borrow().is_closed() {
        return Err(vm.rt_error("attempt to use a closed file"));
    }
    Ok(s)
}

/// `luaL_fileresult` for a failure: `nil, "[fname: ]msg", errno`.
fn push_fail(vm: &mut Vm, e: &io::Error, fname: Option<&[u8]>) -> usize {
    let (msg, code) = os_error(e);
    let mut m = Vec::new();
    if let Some(f) = fname {
        m.extend_from_slice(f);
        m.extend_from_slice(b": ");
    }
    m.extend_from_slice(msg.as_bytes());
    let m = vm.new_string_from_vec(m);
    vm.push(Value::Nil);
    vm.push(m);
    vm.push(Value::Int(code));
    3
}

fn file_result(vm: &mut Vm, r: io::Result<()>) -> usize {
    match r {
        Ok(()) => {
            vm.push(Value::Bool(true));
            1
        }
        Err(e) => push_fail(vm, &e, None),
    }
}

/// Default input or output file (`getiofile`).
fn get_io_file(vm: &mut Vm, key: &str) -> LuaResult<(Value, Rc<RefCell<Stream>>)> {
    let k = vm.intern(key.as_bytes());
    let v = vm.registry.get_str(k);
    match test_file(vm, v) {
        Some(s) if !s.borrow().is_closed() => Ok((v, s)),
        _ => Err(vm.rt_error(format!(
            "default {} file is closed",
            &key[4..] // "_IO_input" -> "input"
        ))),
    }
}

// ---- Opening ---------------------------------------------------------------------------

/// `l_checkmode`: `[rwa]%+?b*`.
fn check_mode(mode: &[u8]) -> bool {
    let mut m = mode;
    match m.first() {
        Some(b'r' | b'w' | b'a') => m = &m[1..],
        _ => return false,
    }
    if m.first() == Some(&b'+') {
        m = &m[1..];
    }
    m.iter().all(|&c| c == b'b')
}

fn open_file(name: &[u8], mode: &[u8]) -> io::Result<File> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::OsStr::from_bytes(name);
    let plus = mode.contains(&b'+');
    let mut o = OpenOptions::new();
    match mode[0] {
        b'r' => o.read(true).write(plus),
        b'w' => o.write(true).create(true).truncate(true).read(plus),
        _ => o.append(true).create(true).read(plus),
    };
    o.open(path)
}

fn io_open(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let fname = args.check_str(vm, 1)?.as_bytes().to_vec();
    let mode = match args.opt_str(vm, 2)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"r".to_vec(),
    };
    if !check_mode(&mode) {
        return Err(vm.arg_error(2, "invalid mode"));
    }
    match open_file(&fname, &mode) {
        Ok(f) => {
            let mut st = Stream::new(Kind::File(f), false);
            st.writable = mode[0] != b'r' || mode.contains(&b'+');
            let v = new_file(vm, st);
            vm.push(v);
            Ok(1)
        }
        Err(e) => Ok(push_fail(vm, &e, Some(&fname))),
    }
}

/// `opencheckfile`: opens or raises "cannot open file 'x' (msg)".
fn open_check_file(vm: &mut Vm, fname: &[u8], mode: &[u8]) -> LuaResult<Value> {
    match open_file(fname, mode) {
        Ok(f) => {
            let mut st = Stream::new(Kind::File(f), false);
            st.writable = mode[0] != b'r' || mode.contains(&b'+');
            Ok(new_file(vm, st))
        }
        Err(e) => {
            let (msg, _) = os_error(&e);
            Err(vm.rt_error(format!(
                "cannot open file '{}' ({})",
                String::from_utf8_lossy(fname),
                msg
            )))
        }
    }
}

fn io_popen(vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    Err(vm.rt_error("'popen' not supported"))
}

/// A new temporary file, opened for update and removed from its directory at once.
fn io_tmpfile(vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = std::env::temp_dir();
    let mut last = None;
    for _ in 0..100 {
        let path = dir.join(format!("lua_{}", unique_suffix()));
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
        {
            Ok(f) => {
                let _ = std::fs::remove_file(&path);
                let v = new_file(vm, Stream::new(Kind::File(f), false));
                vm.push(v);
                return Ok(1);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                last = Some(e);
                break;
            }
        }
    }
    let e = last.unwrap_or_else(|| io::Error::from_raw_os_error(17));
    Ok(push_fail(vm, &e, None))
}

/// Six random-looking characters for temporary file names (`mkstemp`'s `XXXXXX`).
pub fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut x =
        t ^ (std::process::id() as u64).rotate_left(32) ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut s = String::new();
    for _ in 0..6 {
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 29;
        s.push(CHARS[(x % CHARS.len() as u64) as usize] as char);
    }
    s
}

// ---- Closing ---------------------------------------------------------------------------

/// `aux_close`: closes the stream of argument 1 (standard files refuse).
fn aux_close(vm: &mut Vm, s: &Rc<RefCell<Stream>>) -> usize {
    let mut st = s.borrow_mut();
    if st.standard {
        let _ = st.flush_wbuf();
        drop(st);
        let m = vm.new_str(b"cannot close standard file");
        vm.push(Value::Nil);
        vm.push(m);
        return 2;
    }
    let r = st.close();
    drop(st);
    file_result(vm, r)
}

fn f_close(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = to_file(vm, &args)?;
    Ok(aux_close(vm, &s))
}

fn io_close(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    if nargs == 0 {
        let k = vm.intern(IO_OUTPUT.as_bytes());
        let v = vm.registry.get_str(k);
        vm.push(v);
        return f_close(vm, base, 1);
    }
    f_close(vm, base, nargs)
}

fn f_gc(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = to_stream(vm, &args, 1)?;
    let open = !s.borrow().is_closed();
    if open {
        let mut st = s.borrow_mut();
        if st.standard {
            let _ = st.flush_wbuf();
        } else {
            let _ = st.close();
        }
    }
    Ok(0)
}

fn f_tostring(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = to_stream(vm, &args, 1)?;
    let text = if s.borrow().is_closed() {
        "file (closed)".to_string()
    } else {
        format!("file ({:p})", Rc::as_ptr(&s))
    };
    let v = vm.new_str(text.as_bytes());
    vm.push(v);
    Ok(1)
}

fn io_type(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let v = args.check_any(vm, 1)?;
    let r = match test_file(vm, v) {
        None => Value::Nil,
        Some(s) if s.borrow().is_closed() => vm.new_str(b"closed file"),
        Some(_) => vm.new_str(b"file"),
    };
    vm.push(r);
    Ok(1)
}

// ---- Default files ---------------------------------------------------------------------

fn g_iofile(vm: &mut Vm, base: usize, nargs: usize, key: &str, mode: &[u8]) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    if !args.is_none_or_nil(vm, 1) {
        let v = args.get(vm, 1);
        let f = match v {
            Value::Str(_) | Value::Int(_) | Value::Float(_) => {
                let name = args.check_str(vm, 1)?.as_bytes().to_vec();
                open_check_file(vm, &name, mode)?
            }
            _ => {
                to_file(vm, &args)?;
                v
            }
        };
        let reg = vm.registry;
        vm.set_field(reg, key, f);
    }
    let k = vm.intern(key.as_bytes());
    let v = vm.registry.get_str(k);
    vm.push(v);
    Ok(1)
}

fn io_input(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    g_iofile(vm, base, nargs, IO_INPUT, b"r")
}

fn io_output(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    g_iofile(vm, base, nargs, IO_OUTPUT, b"w")
}

// ---- Reading ---------------------------------------------------------------------------

/// `g_read`: reads with the formats `vm.stack[base + first - 1 ..][..nformats]` (argument
/// numbers from `first` for messages) and pushes the results.
fn g_read(
    vm: &mut Vm,
    s: &Rc<RefCell<Stream>>,
    formats: &[Value],
    first: usize,
) -> LuaResult<usize> {
    s.borrow_mut().read_err = None;
    let mut pushed = 0;
    let mut success = true;
    if formats.is_empty() {
        let line = s.borrow_mut().read_line(false);
        success = push_opt(vm, line);
        pushed = 1;
    } else {
        for (idx, &fmt) in formats.iter().enumerate() {
            let argn = first + idx;
            match fmt {
                Value::Int(_) | Value::Float(_) => {
                    let n = match vm.to_integer(fmt) {
                        Some(n) => n,
                        None => {
                            return Err(vm.arg_error(argn, "number has no integer representation"))
                        }
                    };
                    let r = if n == 0 {
                        // `test_eof`
                        let mut st = s.borrow_mut();
                        st.peek().map(|_| Vec::new())
                    } else {
                        // A negative count is a huge `size_t` in C: read everything.
                        let n = usize::try_from(n).unwrap_or(usize::MAX);
                        let bytes = s.borrow_mut().read_chars(n);
                        if bytes.is_empty() {
                            None
                        } else {
                            Some(bytes)
                        }
                    };
                    success = push_opt(vm, r);
                }
                Value::Str(f) => {
                    let b = f.as_bytes();
                    let b = if b.first() == Some(&b'*') { &b[1..] } else { b };
                    match b.first() {
                        Some(b'n') => {
                            let numeral = s.borrow_mut().read_numeral();
                            match number::str_to_number(&numeral) {
                                Some(number::Number::Int(i)) => vm.push(Value::Int(i)),
                                Some(number::Number::Float(x)) => vm.push(Value::Float(x)),
                                None => {
                                    vm.push(Value::Nil);
                                    success = false;
                                }
                            }
                        }
                        Some(b'l') => {
                            let line = s.borrow_mut().read_line(false);
                            success = push_opt(vm, line);
                        }
                        Some(b'L') => {
                            let line = s.borrow_mut().read_line(true);
                            success = push_opt(vm, line);
                        }
                        Some(b'a') => {
                            let all = s.borrow_mut().read_all();
                            let v = vm.new_string_from_vec(all);
                            vm.push(v);
                        }
                        _ => return Err(vm.arg_error(argn, "invalid format")),
                    }
                }
                v => {
                    return Err(vm.type_arg_error(argn, "string", v, true));
                }
            }
            pushed += 1;
            if !success {
                break;
            }
        }
    }
    let err = s.borrow_mut().read_err.take();
    if let Some(e) = err {
        vm.top -= pushed;
        return Ok(push_fail(vm, &e, None));
    }
    if !success {
        vm.top -= 1;
        vm.push(Value::Nil);
    }
    Ok(pushed)
}

fn push_opt(vm: &mut Vm, v: Option<Vec<u8>>) -> bool {
    match v {
        Some(b) => {
            let s = vm.new_string_from_vec(b);
            vm.push(s);
            true
        }
        None => {
            vm.push(Value::Nil);
            false
        }
    }
}

fn io_read(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let (_, s) = get_io_file(vm, IO_INPUT)?;
    let formats = vm.stack[base..base + nargs].to_vec();
    g_read(vm, &s, &formats, 1)
}

fn f_read(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = to_file(vm, &args)?;
    let formats = vm.stack[base + 1..base + nargs].to_vec();
    g_read(vm, &s, &formats, 2)
}

/// `aux_lines`: the iterator closure over the file `stack[base]` with the formats after it.
fn aux_lines(vm: &mut Vm, file: Value, formats: &[Value], toclose: bool) -> LuaResult<Value> {
    if formats.len() > MAXARGLINE {
        return Err(vm.arg_error(MAXARGLINE + 2, "too many arguments"));
    }
    let mut upvals = vec![file, Value::Int(formats.len() as i64), Value::Bool(toclose)];
    upvals.extend_from_slice(formats);
    let nc = vm.heap.alloc(NativeClosure {
        func: Box::new(io_readline),
        name: "lines",
        upvals,
        direct: None,
    });
    Ok(Value::NativeClosure(nc))
}

fn f_lines(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    to_file(vm, &args)?;
    let file = vm.stack[base];
    let formats = vm.stack[base + 1..base + nargs].to_vec();
    let f = aux_lines(vm, file, &formats, false)?;
    vm.push(f);
    Ok(1)
}

fn io_lines(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let formats = if nargs > 1 {
        vm.stack[base + 1..base + nargs].to_vec()
    } else {
        Vec::new()
    };
    if args.is_none_or_nil(vm, 1) {
        let k = vm.intern(IO_INPUT.as_bytes());
        let file = vm.registry.get_str(k);
        vm.stack[base] = file;
        let a1 = Args::new(base, nargs.max(1));
        to_file(vm, &a1)?;
        let f = aux_lines(vm, file, &formats, false)?;
        vm.push(f);
        return Ok(1);
    }
    let fname = args.check_str(vm, 1)?.as_bytes().to_vec();
    let file = open_check_file(vm, &fname, b"r")?;
    vm.stack[base] = file;
    let f = aux_lines(vm, file, &formats, true)?;
    vm.push(f);
    vm.push(Value::Nil);
    vm.push(Value::Nil);
    vm.push(file);
    Ok(4)
}

fn io_readline(vm: &mut Vm, base: usize, _nargs: usize) -> LuaResult<usize> {
    let Value::NativeClosure(nc) = vm.stack[base - 1] else {
        return Err(vm.rt_error("invalid lines iterator"));
    };
    let file = nc.upvals[0];
    let toclose = nc.upvals[2].truthy();
    let formats: Vec<Value> = nc.upvals[3..].to_vec();
    let Some(s) = test_file(vm, file) else {
        return Err(vm.rt_error("invalid lines iterator"));
    };
    if s.borrow().is_closed() {
        return Err(vm.rt_error("file is already closed"));
    }
    let first = vm.top;
    let n = g_read(vm, &s, &formats, 2)?;
    if vm.stack[first].truthy() {
        return Ok(n);
    }
    if n > 1 {
        // An error: its message is the second result.
        let msg = vm.stack[first + 1];
        let m = match msg {
            Value::Str(s) => s.to_str_lossy().into_owned(),
            _ => String::new(),
        };
        return Err(vm.rt_error(m));
    }
    vm.top = first;
    if toclose {
        let _ = s.borrow_mut().close();
    }
    Ok(0)
}

// ---- Writing ---------------------------------------------------------------------------

/// `g_write`: writes the arguments from `first` (1-based) on; the file value is the result.
fn g_write(
    vm: &mut Vm,
    s: &Rc<RefCell<Stream>>,
    args: &Args,
    first: usize,
    file: Value,
) -> LuaResult<usize> {
    let mut status: io::Result<()> = Ok(());
    let to_hook = vm.print_hook.is_some() && matches!(s.borrow().kind, Kind::Stdout);
    for i in first..=args.n {
        let v = args.get(vm, i);
        let bytes: Vec<u8> = match v {
            Value::Int(n) => n.to_string().into_bytes(),
            Value::Float(f) => number::fmt_g(f, 14, false, false).into_bytes(),
            _ => args.check_str(vm, i)?.as_bytes().to_vec(),
        };
        if status.is_ok() {
            status = if to_hook {
                vm.write_stdout(&bytes);
                Ok(())
            } else {
                s.borrow_mut().write(&bytes)
            };
        }
    }
    match status {
        Ok(()) => {
            vm.push(file);
            Ok(1)
        }
        Err(e) => Ok(push_fail(vm, &e, None)),
    }
}

fn io_write(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let (file, s) = get_io_file(vm, IO_OUTPUT)?;
    let args = Args::new(base, nargs);
    g_write(vm, &s, &args, 1, file)
}

fn f_write(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = to_file(vm, &args)?;
    let file = vm.stack[base];
    g_write(vm, &s, &args, 2, file)
}

fn f_flush(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = to_file(vm, &args)?;
    let r = s.borrow_mut().flush_wbuf();
    Ok(file_result(vm, r))
}

fn io_flush(vm: &mut Vm, _base: usize, _nargs: usize) -> LuaResult<usize> {
    let (_, s) = get_io_file(vm, IO_OUTPUT)?;
    let r = s.borrow_mut().flush_wbuf();
    Ok(file_result(vm, r))
}

fn f_seek(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = to_file(vm, &args)?;
    let op = args.check_option(vm, 2, Some("cur"), &["set", "cur", "end"])?;
    let offset = args.opt_integer(vm, 3, 0)?;
    let r = s.borrow_mut().seek(op, offset);
    match r {
        Ok(pos) => {
            vm.push(Value::Int(pos as i64));
            Ok(1)
        }
        Err(e) => Ok(push_fail(vm, &e, None)),
    }
}

fn f_setvbuf(vm: &mut Vm, base: usize, nargs: usize) -> LuaResult<usize> {
    let args = Args::new(base, nargs);
    let s = to_file(vm, &args)?;
    let op = args.check_option(vm, 2, None, &["no", "full", "line"])?;
    args.opt_integer(vm, 3, BUFSIZE as i64)?;
    let mode = [BufMode::No, BufMode::Full, BufMode::Line][op];
    let r = {
        let mut st = s.borrow_mut();
        let r = st.flush_wbuf();
        st.mode = mode;
        r
    };
    Ok(file_result(vm, r))
}
