//! The VM state: heap, running thread's stack and frames, globals, and the helpers that the
//! interpreter and native functions share (allocation, metatables, conversions, errors).

use std::rc::Rc;

use crate::bytecode::{self, TagMethod};
use crate::error::{LuaError, LuaResult};
use crate::function::{LuaClosure, Proto, UpState, UpVal};
use crate::gc::{Gc, GcAny, Heap, Phase};
use crate::number::{self, Number};
use crate::string::{Interner, LuaStr};
use crate::table::Table;
use crate::thread::{Frame, Thread};
use crate::value::Value;

/// Receiver of `print` output (see [`Vm::print_hook`]).
pub type PrintHook = Box<dyn FnMut(&[u8])>;

/// Collector work units per paced step (scaled by `setstepmul` / 100).
const GC_STEP_WORK: usize = 4000;
/// Bytes allocated between two paced steps while a cycle is in progress. Small, so that a
/// cycle ends soon after it starts (little floating garbage) and the memory a sweep step
/// frees is reused while still in cache.
const GC_STEP_BYTES: usize = 16 * 1024;

/// Most stack slots one thread may use ("stack overflow" past it), as `LUAI_MAXSTACK`.
pub const MAX_STACK: usize = 1_000_000;
/// Most nested calls of natives into Lua (and metamethods called from natives) before
/// "C stack overflow", as `LUAI_MAXCCALLS`. Bounds Rust recursion.
pub const MAX_C_DEPTH: u32 = 200;
/// Longest `__index`/`__newindex` chain (`MAXTAGLOOP`).
pub const MAX_TAG_LOOP: usize = 2000;

/// A Lua virtual machine: one heap, one global environment, any number of threads.
pub struct Vm {
    pub heap: Heap,
    pub strings: Interner,
    /// The running thread's stack. Registers of the current frame start at its `base`.
    pub stack: Vec<Value>,
    /// First free slot above the values of the current native call or multiple results.
    pub top: usize,
    pub frames: Vec<Frame>,
    /// Open upvalues of the running thread, sorted by stack index.
    pub open_upvals: Vec<Gc<UpVal>>,
    /// Stack indices of pending to-be-closed variables of the running thread.
    pub tbc: Vec<usize>,
    pub current: Gc<Thread>,
    pub main_thread: Gc<Thread>,
    pub globals: Gc<Table>,
    pub registry: Gc<Table>,
    /// Metatable shared by all strings.
    pub string_meta: Option<Gc<Table>>,
    /// Metatables of the other non-table types (nil, boolean, number, function, thread),
    /// settable through `debug.setmetatable`.
    pub type_metas: [Option<Gc<Table>>; 5],
    tm_names: Vec<Gc<LuaStr>>,
    /// "not enough memory", preallocated so that reporting it never allocates.
    pub(crate) memory_error_msg: Gc<LuaStr>,
    /// Nesting of native-to-Lua calls (bounded by [`MAX_C_DEPTH`]).
    pub c_depth: u32,
    /// Values kept alive by the host (pinned roots).
    pub pinned: Vec<Value>,
    /// True while `__gc` metamethods run (they are not re-entered).
    in_finalizers: bool,
    /// The call a native asked for with `call_then`: function slot, wanted results, and
    /// the continuation.
    pub(crate) pending_call: Option<(usize, i32, crate::function::NativeFn)>,
    /// Index of the frame the last metamethod slow path pushed.
    pub(crate) meta_frame: usize,
    /// While a userdata field handler runs in its direct form (no frame of its own):
    /// the number of frames plus one, so that its errors name it as if it had a frame
    /// (`bad argument #3 to 'newindex'`); 0 otherwise.
    pub(crate) direct_field_depth: usize,
    /// Metatables of the host classes, indexed by [`Value::Host`]'s `class` (roots).
    pub host_metatables: Vec<Gc<Table>>,
    /// Per host class, the fields answered before its metatable (see [`HostFields`]).
    pub host_fields: Vec<Option<crate::userdata::HostFields>>,
    /// The host class of each Rust type passed as host values (a few: scanned).
    pub host_class_ids: Vec<(std::any::TypeId, u32)>,
    /// `host_class_ids` by a hash of the type id, direct-mapped: the lookup made for
    /// every host value created is one compare.
    pub host_class_cache: [Option<(std::any::TypeId, u32)>; 16],
    /// Values passed by the last `coroutine.yield`.
    pub yield_values: Vec<Value>,
    /// Function slot and wanted results of the `yield` call that suspended the running
    /// coroutine, completed by the next resume.
    pub yield_call: Option<Frame>,
    /// `c_depth` at which each active coroutine's dispatch loop runs (innermost last):
    /// a yield from any deeper level would cross a native call.
    pub resume_depths: Vec<u32>,
    /// Instruction budget state (see [`crate::budget`]).
    pub budget: crate::budget::Budget,
    /// Function slot and entry frame of a sliced run in progress on the main thread.
    pub(crate) sliced_base: Option<usize>,
    pub(crate) sliced_entry: usize,
    /// Receives `print` output instead of standard output when set.
    pub print_hook: Option<PrintHook>,
    /// State of the embedding API (`crate::api`), opaque to the core.
    pub ext: Option<Box<dyn std::any::Any>>,
    /// Host switch for binary chunks: when set, `load` (and [`Vm::load`]) accept the
    /// output of `string.dump` (verified before it can run, see [`crate::dump`]) and
    /// `string.dump` works; when clear, both are refused. Off in a new `Vm` and in the
    /// sandbox, on after [`crate::stdlib::open_trusted`] (the CLI and `api::Lua::new()`).
    pub allow_binary_chunks: bool,
}

impl Default for Vm {
    fn default() -> Self {
        Self::new()
    }
}

impl Vm {
    /// A VM with an empty global table and no libraries.
    pub fn new() -> Vm {
        let mut heap = Heap::default();
        let mut strings = Interner::default();
        let tm_names = TagMethod::ALL
            .iter()
            .map(|tm| strings.intern(&mut heap, tm.name().as_bytes()))
            .collect();
        let memory_error_msg = strings.intern(&mut heap, b"not enough memory");
        let globals = heap.alloc(Table::default());
        let registry = heap.alloc(Table::default());
        let main_thread = heap.alloc(Thread::new(Value::Nil));
        main_thread.status.set(crate::thread::CoStatus::Running);
        let mut vm = Vm {
            heap,
            strings,
            stack: vec![Value::Nil; 64],
            top: 0,
            frames: Vec::with_capacity(64),
            open_upvals: Vec::new(),
            tbc: Vec::new(),
            current: main_thread,
            main_thread,
            globals,
            registry,
            string_meta: None,
            type_metas: [None; 5],
            tm_names,
            memory_error_msg,
            c_depth: 0,
            direct_field_depth: 0,
            host_metatables: Vec::new(),
            host_class_ids: Vec::new(),
            host_class_cache: [None; 16],
            host_fields: Vec::new(),
            pinned: Vec::new(),
            print_hook: None,
            budget: Default::default(),
            sliced_base: None,
            sliced_entry: 0,
            in_finalizers: false,
            pending_call: None,
            meta_frame: 0,
            yield_values: Vec::new(),
            yield_call: None,
            resume_depths: Vec::new(),
            ext: None,
            allow_binary_chunks: false,
        };
        let g = vm.globals;
        vm.registry.set_int(&mut vm.heap, 2, Value::Table(g));
        vm.heap.mode_key = Some(vm.tm_name(TagMethod::Mode));
        vm
    }

    // ---- Allocation ---------------------------------------------------------------------

    pub fn new_str(&mut self, bytes: &[u8]) -> Value {
        Value::Str(self.strings.intern(&mut self.heap, bytes))
    }

    pub fn intern(&mut self, bytes: &[u8]) -> Gc<LuaStr> {
        self.strings.intern(&mut self.heap, bytes)
    }

    pub fn new_string_from_vec(&mut self, bytes: Vec<u8>) -> Value {
        Value::Str(self.strings.from_vec(&mut self.heap, bytes))
    }

    pub fn new_table(&mut self) -> Gc<Table> {
        if let Some(t) = self.heap.alloc_table(0) {
            return t;
        }
        self.heap.alloc(Table::default())
    }

    pub fn new_table_with(&mut self, narray: usize, nhash: usize) -> Gc<Table> {
        if nhash == 0 {
            if let Some(t) = self.heap.alloc_table(narray) {
                return t;
            }
        }
        let t = Table::with_capacity(narray, nhash);
        // `alloc` already accounts the preallocated parts (counting them twice made the
        // accounted size drift up with every `{a, b, c}`, to a false "not enough memory").
        self.heap.alloc(t)
    }

    /// The interned name of a metamethod (`"__index"`...).
    #[inline]
    pub fn tm_name(&self, tm: TagMethod) -> Gc<LuaStr> {
        self.tm_names[tm as usize]
    }

    /// Sets a global variable.
    pub fn set_global(&mut self, name: &str, v: Value) {
        let k = self.intern(name.as_bytes());
        let g = self.globals;
        g.set_str(&mut self.heap, k, v);
    }

    pub fn get_global(&mut self, name: &str) -> Value {
        let k = self.intern(name.as_bytes());
        self.globals.get_str(k)
    }

    /// Sets `t[name] = v` with a string key.
    pub fn set_field(&mut self, t: Gc<Table>, name: &str, v: Value) {
        let k = self.intern(name.as_bytes());
        t.set_str(&mut self.heap, k, v);
    }

    // ---- Stack --------------------------------------------------------------------------

    /// Pushes a value at `top` (native functions push their results this way).
    #[inline]
    pub fn push(&mut self, v: Value) {
        if self.top >= self.stack.len() {
            self.stack.resize(self.top + 32, Value::Nil);
        }
        self.stack[self.top] = v;
        self.top += 1;
    }

    /// Makes sure `stack[..n]` exists; "stack overflow" past [`MAX_STACK`].
    #[inline]
    pub fn ensure_stack(&mut self, n: usize) -> LuaResult<()> {
        if n > self.stack.len() {
            self.grow_stack(n)?;
        }
        Ok(())
    }

    #[cold]
    fn grow_stack(&mut self, n: usize) -> LuaResult<()> {
        if n > MAX_STACK {
            return Err(self.vm_error("stack overflow"));
        }
        let mut new_len = n.max(self.stack.len() * 2).min(MAX_STACK + 200);
        if self.heap.would_exceed((new_len - self.stack.len()) * 16) {
            // Near the memory limit: grow only by what is needed, and have the next
            // safepoint collect and raise "not enough memory" if that does not make room.
            new_len = (n + 64).min(MAX_STACK + 200);
            self.heap.defer_growth(self.stack.len() * 16);
            self.budget.fuel = -1;
        }
        self.heap.add_bytes((new_len - self.stack.len()) * 16);
        self.stack.resize(new_len, Value::Nil);
        Ok(())
    }

    /// Argument `i` (0-based) of a native call, or nil.
    #[inline]
    pub fn arg(&self, base: usize, nargs: usize, i: usize) -> Value {
        if i < nargs {
            self.stack[base + i]
        } else {
            Value::Nil
        }
    }

    // ---- Loading ------------------------------------------------------------------------

    /// Compiles a chunk of source text into a function value (a closure with `_ENV` = the
    /// globals table). A binary chunk (`string.dump` output) is loaded, after verification,
    /// only if [`Vm::allow_binary_chunks`] is set, and refused otherwise.
    pub fn load(&mut self, source: &[u8], chunk_name: &str) -> LuaResult<Value> {
        self.load_with_env(source, chunk_name, Value::Table(self.globals))
    }

    /// As [`Vm::load`], with an explicit value for the chunk's `_ENV` upvalue.
    pub fn load_with_env(
        &mut self,
        source: &[u8],
        chunk_name: &str,
        env: Value,
    ) -> LuaResult<Value> {
        if source.first() == Some(&0x1b) {
            if !self.allow_binary_chunks {
                let msg = format!(
                    "{}: binary chunks are not supported",
                    bytecode::chunk_id(chunk_name)
                );
                return Err(LuaError::new(self.new_str(msg.as_bytes())));
            }
            return self.load_binary(source, chunk_name, env);
        }
        let proto = crate::parser::parse(source, chunk_name)
            .and_then(|ast| crate::compiler::compile(&ast, chunk_name))
            .map_err(|e| {
                let v = self.new_str(e.message.as_bytes());
                LuaError::new(v)
            })?;
        Ok(self.load_compiled(&proto, chunk_name, env))
    }

    /// Instantiates an already compiled chunk (from [`crate::parser::parse`] and
    /// [`crate::compiler::compile`], e.g. on another thread: `bytecode::Proto` is plain
    /// `Send` data) as a closure whose `_ENV` is `env`, as [`Vm::load_with_env`] does for
    /// source text. `chunk_name` is the name it was compiled with (`@path/file.lua`).
    pub fn load_compiled(
        &mut self,
        proto: &bytecode::Proto,
        chunk_name: &str,
        env: Value,
    ) -> Value {
        let source_rc: Rc<str> = Rc::from(chunk_name);
        // The dispatch loop reads code and constants unchecked (see `function::verify`):
        // compiler output that fails the check is a compiler bug.
        let p = match self.load_proto(proto, &source_rc) {
            Ok(p) => p,
            Err(e) => panic!("internal compiler error in {chunk_name}: {e}"),
        };
        let env_uv = self.heap.alloc(UpVal {
            state: std::cell::Cell::new(UpState::Closed(env)),
        });
        let upvals: Box<[Gc<UpVal>]> = (0..p.upvalues.len().max(1)).map(|_| env_uv).collect();
        let cl = self.heap.alloc(LuaClosure { proto: p, upvals });
        Value::LuaFn(cl)
    }

    /// Loads a binary chunk (`string.dump` output, see [`crate::dump`]) as a closure whose
    /// first upvalue is `env` and whose other upvalues are fresh nils (as `lua_load`).
    /// Callers check [`Vm::allow_binary_chunks`].
    pub fn load_binary(&mut self, data: &[u8], chunk_name: &str, env: Value) -> LuaResult<Value> {
        // `lundump.c`'s name for messages: no `@`/`=` prefix, "binary string" for a name
        // that is itself binary (the default name of `load(s)` is `s`).
        let name = if let Some(n) = chunk_name.strip_prefix(['@', '=']) {
            n
        } else if chunk_name.starts_with('\x1b') {
            "binary string"
        } else {
            chunk_name
        };
        let fail = |vm: &mut Vm, why: &str| {
            let msg = format!("{name}: bad binary format ({why})");
            LuaError::new(vm.new_str(msg.as_bytes()))
        };
        let proto = match crate::dump::undump(data) {
            Ok(p) => p,
            Err(why) => return Err(fail(self, &why)),
        };
        self.load_unverified(&proto, env)
            .map_err(|why| fail(self, &why))
    }

    /// Instantiates a compiled chunk that did not come from this crate's compiler (a
    /// binary chunk, or a prototype built or modified by the host): every prototype is
    /// checked by [`crate::function::verify`] first, and `Err` is the reason it was
    /// rejected. The closure's first upvalue is `env` and its others are fresh nils (as
    /// `lua_load` does for binary chunks); the chunk name is `proto.source`.
    pub fn load_unverified(
        &mut self,
        proto: &bytecode::Proto,
        env: Value,
    ) -> Result<Value, String> {
        let source_rc: Rc<str> = Rc::from(proto.source.as_str());
        let p = self.load_proto(proto, &source_rc)?;
        let n = p.upvalues.len().max(1);
        let mut upvals = Vec::with_capacity(n);
        for i in 0..n {
            let v = if i == 0 { env } else { Value::Nil };
            upvals.push(self.heap.alloc(UpVal {
                state: std::cell::Cell::new(UpState::Closed(v)),
            }));
        }
        let cl = self.heap.alloc(LuaClosure {
            proto: p,
            upvals: upvals.into_boxed_slice(),
        });
        Ok(Value::LuaFn(cl))
    }

    /// Instantiates a prototype tree, checking each prototype with [`crate::function::verify`]
    /// (the reason of the first failure is the error).
    fn load_proto(&mut self, p: &bytecode::Proto, source: &Rc<str>) -> Result<Gc<Proto>, String> {
        let constants = p
            .constants
            .iter()
            .map(|k| match k {
                bytecode::Constant::Nil => Value::Nil,
                bytecode::Constant::Bool(b) => Value::Bool(*b),
                bytecode::Constant::Int(i) => Value::Int(*i),
                bytecode::Constant::Float(f) => Value::Float(*f),
                bytecode::Constant::Str(s) => self.new_str(s),
            })
            .collect();
        let protos = p
            .protos
            .iter()
            .map(|c| self.load_proto(c, source))
            .collect::<Result<_, _>>()?;
        let proto = Proto {
            code: p.code.clone().into_boxed_slice(),
            constants,
            protos,
            upvalues: p.upvalues.clone().into_boxed_slice(),
            line_info: p.line_info.clone().into_boxed_slice(),
            loc_vars: p.loc_vars.clone().into_boxed_slice(),
            source: source.clone(),
            line_defined: p.line_defined,
            last_line_defined: p.last_line_defined,
            num_params: p.num_params,
            is_vararg: p.is_vararg,
            max_stack_size: p.max_stack_size.max(2),
        };
        crate::function::verify(&proto)?;
        Ok(self.heap.alloc(proto))
    }

    // ---- Metatables ---------------------------------------------------------------------

    pub fn get_metatable(&self, v: Value) -> Option<Gc<Table>> {
        match v {
            Value::Table(t) => t.metatable(),
            Value::UserData(u) => u.metatable.get(),
            Value::Str(_) => self.string_meta,
            Value::Nil => self.type_metas[0],
            Value::Bool(_) => self.type_metas[1],
            Value::Int(_) | Value::Float(_) => self.type_metas[2],
            Value::LuaFn(_) | Value::Native(_) | Value::NativeClosure(_) => self.type_metas[3],
            Value::Thread(_) => self.type_metas[4],
            Value::LightUserData(_) => None,
            Value::Host { class, .. } => self.host_metatables.get(class as usize).copied(),
        }
    }

    /// The metamethod `tm` of `v`, or nil.
    #[inline]
    pub fn metamethod(&self, v: Value, tm: TagMethod) -> Value {
        match self.get_metatable(v) {
            Some(mt) => mt.get_str(self.tm_name(tm)),
            None => Value::Nil,
        }
    }

    /// `__name` of the value's metatable, if it is a string (used in messages).
    pub fn type_name_of(&mut self, v: Value) -> String {
        if let Some(mt) = self.get_metatable(v) {
            let k = self.intern(b"__name");
            if let Value::Str(s) = mt.get_str(k) {
                return s.to_str_lossy().into_owned();
            }
        }
        v.type_name().to_string()
    }

    // ---- Conversions --------------------------------------------------------------------

    /// Number value of `v` with string coercion (`luaV_tonumber_`).
    pub fn to_number(&self, v: Value) -> Option<Number> {
        match v {
            Value::Int(i) => Some(Number::Int(i)),
            Value::Float(f) => Some(Number::Float(f)),
            Value::Str(s) => number::str_to_number(s.as_bytes()),
            _ => None,
        }
    }

    /// Integer value of `v` (floats with exact integer value and numeric strings convert).
    pub fn to_integer(&self, v: Value) -> Option<i64> {
        match self.to_number(v)? {
            Number::Int(i) => Some(i),
            Number::Float(f) => number::float_to_int_exact(f),
        }
    }

    /// Bytes of a string or number (numbers are converted as `tostring` does), else `None`.
    pub fn to_str_bytes(&self, v: Value) -> Option<Vec<u8>> {
        match v {
            Value::Str(s) => Some(s.as_bytes().to_vec()),
            Value::Int(i) => Some(i.to_string().into_bytes()),
            Value::Float(f) => Some(number::fmt_float(f).into_bytes()),
            _ => None,
        }
    }

    /// `tostring` without metamethods: `nil`, `true`, numbers, strings, `table: 0x...`.
    pub fn tostring_raw(&mut self, v: Value) -> Vec<u8> {
        match v {
            Value::Nil => b"nil".to_vec(),
            Value::Bool(b) => if b { "true" } else { "false" }.into(),
            Value::Int(_) | Value::Float(_) | Value::Str(_) => {
                self.to_str_bytes(v).unwrap_or_default()
            }
            Value::Native(_) => {
                format!("function: builtin: {:#x}", self.shown_addr(v)).into_bytes()
            }
            _ => {
                let name = self.type_name_of(v);
                format!("{}: {:#016x}", name, self.shown_addr(v)).into_bytes()
            }
        }
    }

    // ---- Errors -------------------------------------------------------------------------

    /// `chunk:line: ` of the function at `level` (0 = the running function, 1 = its
    /// caller, ...), or "" if that function is not Lua (`luaL_where`). A protected call
    /// counts as a level of its own, as PUC's `pcall` is a C function.
    pub fn where_(&self, level: usize) -> String {
        self.position(level, false)
    }

    /// [`Vm::where_`]; for a function without line info (a stripped binary chunk),
    /// `luaG_runerror`'s `?:-1: ` if `runerror`, else nothing as `luaL_where`.
    fn position(&self, level: usize, runerror: bool) -> String {
        let mut lvl = level;
        for f in self.frames.iter().rev() {
            if lvl == 0 {
                return match f.closure {
                    Some(cl) => {
                        let p = cl.proto;
                        let id = bytecode::chunk_id(&p.source);
                        match p.line_info.get(f.pc.saturating_sub(1)) {
                            Some(line) => format!("{id}:{line}: "),
                            None if runerror => format!("{id}:-1: "),
                            None => String::new(),
                        }
                    }
                    None => String::new(),
                };
            }
            lvl -= 1;
            if f.status & crate::thread::status::PCALL != 0 {
                if lvl == 0 {
                    return String::new();
                }
                lvl -= 1;
            }
        }
        String::new()
    }

    /// A runtime error with the position of the current function, as `luaG_runerror`
    /// (or `luaL_error` from a native: the position of its caller).
    pub fn rt_error(&mut self, msg: impl AsRef<str>) -> LuaError {
        let top_is_native = self.frames.last().is_some_and(|f| f.closure.is_none());
        let full = format!(
            "{}{}",
            self.position(top_is_native as usize, !top_is_native),
            msg.as_ref()
        );
        LuaError::new(self.new_str(full.as_bytes()))
    }

    /// A runtime error raised by the VM itself (`luaG_runerror`): positioned at the
    /// running function, so none when a native is running.
    pub fn vm_error(&mut self, msg: impl AsRef<str>) -> LuaError {
        let full = format!("{}{}", self.position(0, true), msg.as_ref());
        LuaError::new(self.new_str(full.as_bytes()))
    }

    /// An error with a plain message (no position).
    pub fn plain_error(&mut self, msg: impl AsRef<str>) -> LuaError {
        LuaError::new(self.new_str(msg.as_ref().as_bytes()))
    }

    // ---- Upvalues -----------------------------------------------------------------------

    /// The upvalue for stack slot `index` of the running thread, reusing an open one.
    pub fn find_upval(&mut self, index: usize) -> Gc<UpVal> {
        let pos = self.open_upvals.partition_point(|u| match u.state.get() {
            UpState::Open { index: i, .. } => i < index,
            UpState::Closed(_) => true,
        });
        if let Some(&u) = self.open_upvals.get(pos) {
            if let UpState::Open { index: i, .. } = u.state.get() {
                if i == index {
                    return u;
                }
            }
        }
        let u = self.heap.alloc(UpVal {
            state: std::cell::Cell::new(UpState::Open {
                thread: self.current,
                index,
            }),
        });
        self.open_upvals.insert(pos, u);
        u
    }

    /// Closes the open upvalues at stack slots `>= level`.
    pub fn close_upvals(&mut self, level: usize) {
        while let Some(&u) = self.open_upvals.last() {
            match u.state.get() {
                UpState::Open { index, .. } if index >= level => {
                    let v = self.stack[index];
                    u.state.set(UpState::Closed(v));
                    self.heap.barrier_forward(GcAny::UpVal(u), v);
                    self.open_upvals.pop();
                }
                _ => break,
            }
        }
    }

    #[inline]
    pub fn upval_get(&self, u: Gc<UpVal>) -> Value {
        match u.state.get() {
            UpState::Closed(v) => v,
            UpState::Open { thread, index } => {
                if thread == self.current {
                    self.stack[index]
                } else {
                    thread
                        .saved
                        .try_borrow()
                        .ok()
                        .and_then(|s| s.stack.get(index).copied())
                        .unwrap_or(Value::Nil)
                }
            }
        }
    }

    #[inline]
    pub fn upval_set(&mut self, u: Gc<UpVal>, v: Value) {
        match u.state.get() {
            UpState::Closed(_) => {
                u.state.set(UpState::Closed(v));
                self.heap.barrier_forward(GcAny::UpVal(u), v);
            }
            UpState::Open { thread, index } => {
                if thread == self.current {
                    self.stack[index] = v;
                } else if let Ok(mut s) = thread.saved.try_borrow_mut() {
                    if let Some(slot) = s.stack.get_mut(index) {
                        *slot = v;
                    }
                }
            }
        }
    }

    // ---- Garbage collection -------------------------------------------------------------

    /// The first stack slot above every live value: the innermost frame's registers (a Lua
    /// frame) or its arguments and results (a native). Outer frames' live registers all lie
    /// below the slot of the call they are making.
    pub(crate) fn live_top(&self) -> usize {
        match self.frames.last() {
            Some(Frame {
                closure: Some(cl),
                base,
                ..
            }) => self.top.max(base + cl.proto.max_stack_size as usize),
            _ => self.top,
        }
    }

    /// Clears the stack slots above the live registers: they hold dead values that must
    /// not keep garbage alive (as PUC's `traversethread`).
    fn clear_dead_stack(&mut self) {
        let live = self.live_top();
        if live < self.stack.len() {
            for v in &mut self.stack[live..] {
                *v = Value::Nil;
            }
        }
    }

    /// Marks the VM's roots: the running thread's stack and frames, open upvalues, the
    /// globals, registry and other VM-held objects.
    fn mark_roots(&mut self) {
        self.clear_dead_stack();
        let heap = &mut self.heap;
        for &v in &self.stack {
            heap.mark_root_value(v);
        }
        for f in &self.frames {
            if let Some(c) = f.closure {
                heap.mark_root(GcAny::LuaClosure(c));
            }
        }
        for &u in &self.open_upvals {
            heap.mark_root(GcAny::UpVal(u));
        }
        heap.mark_root(GcAny::Table(self.globals));
        heap.mark_root(GcAny::Table(self.registry));
        heap.mark_root(GcAny::Thread(self.current));
        heap.mark_root(GcAny::Thread(self.main_thread));
        if let Some(mt) = self.string_meta {
            heap.mark_root(GcAny::Table(mt));
        }
        for mt in self.type_metas.iter().flatten() {
            heap.mark_root(GcAny::Table(*mt));
        }
        for mt in &self.host_metatables {
            heap.mark_root(GcAny::Table(*mt));
        }
        for &s in &self.tm_names {
            heap.mark_root(GcAny::Str(s));
        }
        heap.mark_root(GcAny::Str(self.memory_error_msg));
        for &v in &self.pinned {
            heap.mark_root_value(v);
        }
        for &v in &self.yield_values {
            heap.mark_root_value(v);
        }
    }

    /// Runs the collector for about `work` units (objects traversed or swept) and returns
    /// true when this step completed a cycle. Only call at a safepoint: every live value
    /// must be reachable from the stack, frames, globals, registry or pinned roots. The
    /// Bevy plugin uses it to spend leftover frame time on collection.
    pub fn gc_step(&mut self, work: usize) -> bool {
        let start = std::time::Instant::now();
        let phase = self.heap.phase();
        let mut atomic = false;
        let done = match phase {
            Phase::Pause => {
                self.heap.start_cycle();
                self.mark_roots();
                false
            }
            Phase::Propagate => {
                // Atomic once the gray set is empty, even if this step did work: the
                // mutator keeps graying new objects, so "no work done" may never come.
                self.heap.propagate(work);
                if self.heap.gray_empty() {
                    self.mark_roots();
                    self.heap.atomic();
                    atomic = true;
                }
                false
            }
            Phase::Sweep => {
                let strings = &mut self.strings;
                self.heap.sweep(work, |s| strings.remove(s))
            }
        };
        let t = start.elapsed();
        let st = &mut self.heap.stats;
        let slot = match (phase, atomic) {
            (_, true) => &mut st.longest_atomic,
            (Phase::Sweep, _) => &mut st.longest_sweep,
            _ => &mut st.longest_mark,
        };
        if t > *slot {
            *slot = t;
        }
        self.record_gc_time(start);
        done
    }

    fn record_gc_time(&mut self, start: std::time::Instant) {
        let t = start.elapsed();
        let st = &mut self.heap.stats;
        st.steps += 1;
        st.total += t;
        if t > st.longest_step {
            st.longest_step = t;
        }
    }

    /// Runs a complete collection now (`collectgarbage("collect")`), then the pending
    /// finalizers. Safepoint only, as [`Vm::gc_step`].
    pub fn collect_garbage(&mut self) {
        let start = std::time::Instant::now();
        self.heap.abandon_marking();
        if self.heap.phase() == Phase::Sweep {
            let strings = &mut self.strings;
            while !self.heap.sweep(usize::MAX, |s| strings.remove(s)) {}
        }
        self.heap.start_cycle();
        self.mark_roots();
        self.heap.propagate(usize::MAX);
        self.mark_roots();
        self.heap.atomic();
        let strings = &mut self.strings;
        while !self.heap.sweep(usize::MAX, |s| strings.remove(s)) {}
        self.heap.release_pool();
        self.heap.alarm = false;
        self.heap.deferred = 0;
        self.shrink_call_state();
        self.record_gc_time(start);
        self.run_finalizers();
    }

    /// Gives back the stack and frame space of a deep recursion that has returned (as
    /// PUC's `luaD_shrinkstack` and `luaE_shrinkCI`), so that it stops counting against
    /// the memory limit. Keeps twice what is live plus room for native calls.
    fn shrink_call_state(&mut self) {
        const KEEP: usize = 256;
        let frames = self.frames.len().max(KEEP / 4);
        if self.frames.capacity() > 4 * frames {
            let before = self.frames.capacity();
            self.frames.shrink_to(2 * frames);
            let freed = (before - self.frames.capacity()) * std::mem::size_of::<Frame>();
            self.heap.sub_bytes(freed);
        }
        let live = self
            .frames
            .iter()
            .filter_map(|f| {
                f.closure
                    .map(|cl| f.base + cl.proto.max_stack_size as usize)
            })
            .max()
            .unwrap_or(0)
            .max(self.live_top())
            .max(KEEP);
        let keep = 2 * live + KEEP;
        if self.stack.len() > 2 * keep {
            // Accounted by length, as `grow_stack` charges it.
            let freed = self.stack.len() - keep;
            self.stack.truncate(keep);
            self.stack.shrink_to_fit();
            self.heap.sub_bytes(freed * std::mem::size_of::<Value>());
        }
    }

    /// Collector work at an allocation safepoint: a full collection when the memory limit
    /// was crossed, otherwise an incremental step paced by allocation (`setpause`,
    /// `setstepmul`).
    pub fn check_gc(&mut self) {
        if self.heap.should_collect() {
            self.gc_due();
        }
    }

    /// The collector work of a safepoint where `should_collect` said so.
    pub(crate) fn gc_due(&mut self) {
        if self.heap.alarm {
            self.collect_garbage();
            return;
        }
        let work = if self.heap.stress != 0 {
            16
        } else {
            (GC_STEP_WORK * self.heap.step_mul / 100).max(64)
        };
        self.gc_step(work);
        if self.heap.phase() != Phase::Pause {
            // Next step after another slice of allocation.
            self.heap.set_step_debt(GC_STEP_BYTES);
        }
        if !self.heap.tobefnz.is_empty() {
            self.run_finalizers();
        }
    }

    /// Calls the `__gc` metamethods of objects found dead, in the order PUC uses; errors
    /// in finalizers are reported as warnings, never raised.
    pub fn run_finalizers(&mut self) {
        if self.in_finalizers {
            return;
        }
        self.in_finalizers = true;
        while let Some(obj) = self.heap.tobefnz.pop_front() {
            let v = obj.to_value();
            let h = self.metamethod(v, TagMethod::Gc);
            if h.is_function() {
                // Called from a safepoint, where `top` may lie below live registers.
                let save = self.top;
                self.top = self.live_top();
                if let Err(e) = self.call_function(h, &[v]) {
                    self.warn(&format!("error in __gc ({})", e.message()));
                }
                self.top = save;
            }
        }
        self.in_finalizers = false;
    }

    /// Runs every pending finalizer, as `lua_close` does; the VM stays usable.
    pub fn close_state(&mut self) {
        for obj in self.heap.take_all_finalizable() {
            self.heap.tobefnz.push_back(obj);
        }
        self.run_finalizers();
    }

    /// Emits a warning as `warn` does (printed only while warnings are on: `-W`, `@on`).
    pub fn warn(&mut self, msg: &str) {
        crate::stdlib::warn::warning(self, msg.as_bytes(), false);
    }
}
