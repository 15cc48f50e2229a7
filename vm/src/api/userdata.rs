//! Rust types as Lua userdata: the [`UserData`] trait, with fields, methods and metamethods
//! registered once per type.
//!
//! Each type gets one shared, frozen metatable (scripts cannot change it) with `__name` set
//! to the type name, so messages and `tostring` show it. Methods are native closures created
//! once per type in the metatable's `__index` table: a method call allocates nothing. Field
//! getters and setters are dispatched by an `__index`/`__newindex` closure through a name
//! table, also without allocation.
//!
//! ```
//! use selenite::api::{Lua, MetaMethod, UserData, UserDataFields, UserDataMethods};
//!
//! #[derive(Clone, Copy, Debug, PartialEq)]
//! struct Vec3 { x: f64, y: f64, z: f64 }
//!
//! impl UserData for Vec3 {
//!     fn add_fields(fields: &mut impl UserDataFields<Self>) {
//!         fields.add_field_method_get("x", |_, v| Ok(v.x));
//!         fields.add_field_method_set("x", |_, v, x: f64| { v.x = x; Ok(()) });
//!     }
//!     fn add_methods(methods: &mut impl UserDataMethods<Self>) {
//!         methods.add_method("length", |_, v, ()| Ok((v.x * v.x + v.y * v.y + v.z * v.z).sqrt()));
//!         methods.add_meta_method(MetaMethod::Add, |_, a, b: Vec3| {
//!             Ok(Vec3 { x: a.x + b.x, y: a.y + b.y, z: a.z + b.z })
//!         });
//!     }
//! }
//!
//! let mut lua = Lua::new();
//! lua.set_global("v", Vec3 { x: 3.0, y: 4.0, z: 0.0 }).unwrap();
//! assert_eq!(lua.exec::<f64>("return v:length()", "=m").unwrap(), 5.0);
//! let w: Vec3 = lua.exec("v.x = 1; return v + v", "=m").unwrap();
//! assert_eq!(w, Vec3 { x: 2.0, y: 8.0, z: 0.0 });
//! ```

use std::any::TypeId;
use std::cell::{Cell, Ref, RefCell, RefMut};
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use crate::error::LuaResult;
use crate::function::{DirectFieldFn, HostFn};
use crate::gc::Gc;
use crate::state::Vm;
use crate::table::Table as RawTable;
use crate::userdata::{HostFields, UserData as RawUserData};
use crate::value::Value;

use super::convert::{type_name, FromLua, FromLuaMulti, IntoLua, IntoLuaMulti};
use super::error::{Error, Result};
use super::function::{guarded, guarded_direct, native_closure, native_closure_direct, raise};
use super::registry::AnyUserData;
use super::Lua;

/// A Rust type usable as Lua userdata. Register its fields and methods; both have empty
/// defaults. See the [module docs](self) for an example.
pub trait UserData: Sized + 'static {
    /// The name scripts see (`__name`): in messages, `tostring`, type errors. Defaults to
    /// the last path segment of the Rust type name.
    fn type_name() -> &'static str {
        let full = std::any::type_name::<Self>();
        let base = full.split('<').next().unwrap_or(full);
        base.rsplit("::").next().unwrap_or(base)
    }

    /// Registers field getters and setters (`v.x`, `v.x = 1`).
    fn add_fields(fields: &mut impl UserDataFields<Self>) {
        let _ = fields;
    }

    /// Registers methods (`v:len()`) and metamethods (`v + w`, `tostring(v)`).
    fn add_methods(methods: &mut impl UserDataMethods<Self>) {
        let _ = methods;
    }

    /// True for a type passed to Lua as a host value ([`Value::Host`]) instead of a full
    /// userdata: 64 bits (`host_bits`, read back by `from_host_bits`), copied, never
    /// allocated or collected, compared by value, with this type's metatable. For small
    /// handles (ids) handed out in great numbers. Methods taking `&mut self` get a copy.
    ///
    /// ```
    /// use selenite::api::{Lua, UserData, UserDataMethods};
    ///
    /// #[derive(Clone, Copy)]
    /// struct Id(u64);
    /// impl UserData for Id {
    ///     const HOST_VALUE: bool = true;
    ///     fn host_bits(&self) -> u64 { self.0 }
    ///     fn from_host_bits(bits: u64) -> Option<Self> { Some(Id(bits)) }
    ///     fn add_methods(methods: &mut impl UserDataMethods<Self>) {
    ///         methods.add_method("get", |_, id, ()| Ok(id.0));
    ///     }
    /// }
    /// let mut lua = Lua::new();
    /// lua.set_global("a", Id(7)).unwrap();
    /// lua.set_global("b", Id(7)).unwrap();
    /// assert!(lua.exec::<bool>("return rawequal(a, b) and a:get() == 7", "=i").unwrap());
    /// ```
    const HOST_VALUE: bool = false;

    /// The bits of a host value (see [`UserData::HOST_VALUE`]).
    fn host_bits(&self) -> u64 {
        0
    }

    /// The value a host value's bits stand for; `None` if they are not valid.
    fn from_host_bits(bits: u64) -> Option<Self> {
        let _ = bits;
        None
    }

    /// True for a host value type whose `host_get`/`host_set` answer some fields before
    /// its metatable is looked at: the fastest field access there is (one Rust call, no
    /// metamethod lookup, no frame). Keys they do not know go to the methods, fields and
    /// `__index`/`__newindex` as usual.
    ///
    /// ```
    /// use selenite::api::{Lua, Result, UserData};
    /// use selenite::Value;
    ///
    /// #[derive(Clone, Copy)]
    /// struct Pos {
    ///     x: i32,
    ///     y: i32,
    /// }
    /// impl UserData for Pos {
    ///     const HOST_VALUE: bool = true;
    ///     fn host_bits(&self) -> u64 {
    ///         (u64::from(self.x as u32) << 32) | u64::from(self.y as u32)
    ///     }
    ///     fn from_host_bits(bits: u64) -> Option<Self> {
    ///         Some(Pos { x: (bits >> 32) as i32, y: bits as i32 })
    ///     }
    ///     const HOST_FIELDS: bool = true;
    ///     fn host_get(&self, _: &mut Lua, key: Value) -> Result<Option<Value>> {
    ///         Ok(match key.as_str() {
    ///             Some(b"x") => Some(Value::Int(self.x.into())),
    ///             Some(b"y") => Some(Value::Int(self.y.into())),
    ///             _ => None,
    ///         })
    ///     }
    /// }
    /// let mut lua = Lua::new();
    /// lua.set_global("p", Pos { x: 3, y: -4 }).unwrap();
    /// assert_eq!(lua.exec::<i64>("return p.x * p.y", "=p").unwrap(), -12);
    /// ```
    const HOST_FIELDS: bool = false;

    /// `value.key` (see [`UserData::HOST_FIELDS`]): `Ok(None)` when `key` is not
    /// answered here.
    fn host_get(&self, lua: &mut Lua, key: Value) -> Result<Option<Value>> {
        let _ = (lua, key);
        Ok(None)
    }

    /// `value.key = v` (see [`UserData::HOST_FIELDS`]): `Ok(false)` when `key` is not
    /// answered here.
    fn host_set(&self, lua: &mut Lua, key: Value, value: Value) -> Result<bool> {
        let _ = (lua, key, value);
        Ok(false)
    }

    /// True for a host-fields type whose `host_get_leaf`/`host_set_leaf` answer the
    /// common case straight from the instruction, before `host_get`/`host_set`: no VM
    /// state saved, no error path, no `&mut Lua`. They must not call Lua; whatever they
    /// decline (`None`/`false`), errors included, goes to `host_get`/`host_set`, whose
    /// answer counts, so both must agree where the leaf answers. A panic in a leaf is
    /// caught and the access taken by the full path.
    const HOST_LEAF: bool = false;

    /// The leaf form of [`UserData::host_get`] (see [`UserData::HOST_LEAF`]). `lua`
    /// gives [`Lua::known_host_value`].
    fn host_get_leaf(&self, lua: &Lua, key: Value) -> Option<Value> {
        let _ = (lua, key);
        None
    }

    /// The leaf form of [`UserData::host_set`] (see [`UserData::HOST_LEAF`]).
    fn host_set_leaf(&self, lua: &Lua, key: Value, value: Value) -> bool {
        let _ = (lua, key, value);
        false
    }
}

/// [`UserData::host_get`] as the VM calls it.
fn host_get_of<T: UserData>(vm: &mut Vm, bits: u64, key: Value) -> LuaResult<Option<Value>> {
    let Some(this) = T::from_host_bits(bits) else {
        return Ok(None);
    };
    guarded_direct(vm, 2, |lua| this.host_get(lua, key))
}

/// [`UserData::host_set`] as the VM calls it.
fn host_set_of<T: UserData>(vm: &mut Vm, bits: u64, key: Value, value: Value) -> LuaResult<bool> {
    let Some(this) = T::from_host_bits(bits) else {
        return Ok(false);
    };
    guarded_direct(vm, 3, |lua| this.host_set(lua, key, value))
}

/// [`UserData::host_get_leaf`] as the VM calls it. A panic is not an answer: the full
/// path runs the access again under its guard.
fn host_get_leaf_of<T: UserData>(vm: &Vm, bits: u64, key: Value) -> Option<Value> {
    let this = T::from_host_bits(bits)?;
    catch_unwind(AssertUnwindSafe(|| {
        this.host_get_leaf(Lua::from_vm_ref(vm), key)
    }))
    .ok()
    .flatten()
}

/// [`UserData::host_set_leaf`] as the VM calls it (a panic: the full path).
fn host_set_leaf_of<T: UserData>(vm: &Vm, bits: u64, key: Value, value: Value) -> bool {
    let Some(this) = T::from_host_bits(bits) else {
        return false;
    };
    catch_unwind(AssertUnwindSafe(|| {
        this.host_set_leaf(Lua::from_vm_ref(vm), key, value)
    }))
    .unwrap_or(false)
}

/// Metamethods a userdata type can define.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MetaMethod {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Unm,
    IDiv,
    BAnd,
    BOr,
    BXor,
    BNot,
    Shl,
    Shr,
    Concat,
    Len,
    Eq,
    Lt,
    Le,
    /// Called for keys that are neither methods nor fields.
    Index,
    /// Called for keys that are not settable fields.
    NewIndex,
    Call,
    ToString,
    Close,
}

impl MetaMethod {
    /// The metatable key (`"__add"`...).
    pub fn name(self) -> &'static str {
        match self {
            MetaMethod::Add => "__add",
            MetaMethod::Sub => "__sub",
            MetaMethod::Mul => "__mul",
            MetaMethod::Div => "__div",
            MetaMethod::Mod => "__mod",
            MetaMethod::Pow => "__pow",
            MetaMethod::Unm => "__unm",
            MetaMethod::IDiv => "__idiv",
            MetaMethod::BAnd => "__band",
            MetaMethod::BOr => "__bor",
            MetaMethod::BXor => "__bxor",
            MetaMethod::BNot => "__bnot",
            MetaMethod::Shl => "__shl",
            MetaMethod::Shr => "__shr",
            MetaMethod::Concat => "__concat",
            MetaMethod::Len => "__len",
            MetaMethod::Eq => "__eq",
            MetaMethod::Lt => "__lt",
            MetaMethod::Le => "__le",
            MetaMethod::Index => "__index",
            MetaMethod::NewIndex => "__newindex",
            MetaMethod::Call => "__call",
            MetaMethod::ToString => "__tostring",
            MetaMethod::Close => "__close",
        }
    }
}

/// Field registration ([`UserData::add_fields`]).
pub trait UserDataFields<T: UserData> {
    /// `v.name` returns `get(lua, &v)`.
    fn add_field_method_get<R, F>(&mut self, name: &str, get: F)
    where
        R: IntoLua,
        F: Fn(&mut Lua, &T) -> Result<R> + 'static;

    /// `v.name = x` calls `set(lua, &mut v, x)`.
    fn add_field_method_set<A, F>(&mut self, name: &str, set: F)
    where
        A: FromLua,
        F: Fn(&mut Lua, &mut T, A) -> Result<()> + 'static;
}

/// Method registration ([`UserData::add_methods`]).
pub trait UserDataMethods<T: UserData> {
    /// `v:name(args)` with `&T`.
    fn add_method<A, R, F>(&mut self, name: &str, method: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, &T, A) -> Result<R> + 'static;

    /// `v:name(args)` with `&mut T`. A re-entrant call on the same value is an error.
    fn add_method_mut<A, R, F>(&mut self, name: &str, method: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, &mut T, A) -> Result<R> + 'static;

    /// `v.name(args)` / `v:name(...)`: a plain function stored among the methods.
    fn add_function<A, R, F>(&mut self, name: &str, function: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, A) -> Result<R> + 'static;

    /// A metamethod whose first operand must be a `T` (`__add` with `v + w`, `__len`...).
    fn add_meta_method<A, R, F>(&mut self, meta: MetaMethod, method: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, &T, A) -> Result<R> + 'static;

    /// As `add_meta_method` with `&mut T`.
    fn add_meta_method_mut<A, R, F>(&mut self, meta: MetaMethod, method: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, &mut T, A) -> Result<R> + 'static;

    /// A metamethod taking all operands as arguments (for `2 * v`, where `self` is not
    /// first).
    fn add_meta_function<A, R, F>(&mut self, meta: MetaMethod, function: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, A) -> Result<R> + 'static;

    /// `__index` for keys that are neither methods nor fields, given the raw key: the
    /// fastest form for a type whose fields are looked up by the host (no conversion of
    /// the key, no argument slots; the VM calls it without a call frame). Takes the place
    /// of an `add_meta_method(MetaMethod::Index, ..)`.
    ///
    /// ```
    /// use selenite::api::{Lua, UserData, UserDataMethods};
    /// use selenite::Value;
    ///
    /// struct Lanes([f64; 4]);
    /// impl UserData for Lanes {
    ///     fn add_methods(methods: &mut impl UserDataMethods<Self>) {
    ///         methods.add_meta_index_raw(|_, this, key| {
    ///             let lane = match key.as_str() {
    ///                 Some(b"x") => 0,
    ///                 Some(b"y") => 1,
    ///                 _ => return Ok(Value::Nil),
    ///             };
    ///             Ok(Value::Float(this.0[lane]))
    ///         });
    ///     }
    /// }
    /// let mut lua = Lua::new();
    /// lua.set_global("l", Lanes([1.0, 2.0, 0.0, 0.0])).unwrap();
    /// assert_eq!(lua.exec::<f64>("return l.x + l.y", "=l").unwrap(), 3.0);
    /// ```
    fn add_meta_index_raw<F>(&mut self, index: F)
    where
        F: Fn(&mut Lua, &T, Value) -> Result<Value> + 'static;

    /// `__newindex` for keys that are not settable fields, given the raw key and value;
    /// as [`add_meta_index_raw`](UserDataMethods::add_meta_index_raw), for writes. The
    /// value is borrowed shared: a type written through keeps its state in cells or, as
    /// a reference to host data, elsewhere.
    fn add_meta_newindex_raw<F>(&mut self, newindex: F)
    where
        F: Fn(&mut Lua, &T, Value, Value) -> Result<()> + 'static;
}

type Getter<T> = Box<dyn Fn(&mut Lua, &T) -> Result<Value>>;
type Setter<T> = Box<dyn Fn(&mut Lua, &mut T, Value) -> Result<()>>;

/// An `__index`/`__newindex` body: the native, and its direct form if it has its own.
type FieldBody = (Box<HostFn>, Option<Box<DirectFieldFn>>);

/// Collects a type's registrations; implements [`UserDataFields`] and [`UserDataMethods`].
pub struct UserDataRegistry<T> {
    getters: Vec<(String, Getter<T>)>,
    setters: Vec<(String, Setter<T>)>,
    methods: Vec<(String, Box<HostFn>)>,
    meta: Vec<(MetaMethod, Box<HostFn>)>,
    index: Option<FieldBody>,
    newindex: Option<FieldBody>,
    /// The host class of `T` when it is passed as host values.
    host_class: Option<u32>,
    _t: PhantomData<T>,
}

/// Runs `f` on the `self` operand of a handler of `T`: a full userdata holding a `T`,
/// or a host value of `T`'s class (`class`). Anything else (a metatable can be moved to
/// another value with `debug.setmetatable`) is a bad argument #1; `present` says
/// whether there was an operand at all.
fn with_this<T: UserData, R>(
    lua: &mut Lua,
    v: Value,
    present: bool,
    class: Option<u32>,
    f: impl FnOnce(&mut Lua, &T) -> Result<R>,
) -> Result<R> {
    match v {
        Value::UserData(u) => {
            let guard = u
                .data
                .try_borrow()
                .map_err(|_| Error::BorrowError(T::type_name().into()))?;
            if let Some(this) = guard.downcast_ref::<T>() {
                return f(lua, this);
            }
        }
        Value::Host { class: c, bits } if Some(c) == class => {
            if let Some(this) = T::from_host_bits(bits) {
                return f(lua, &this);
            }
        }
        _ => {}
    }
    Err(self_error::<T>(lua, v, present))
}

/// As [`with_this`] with `&mut T` (a host value's method gets a copy).
fn with_this_mut<T: UserData, R>(
    lua: &mut Lua,
    v: Value,
    present: bool,
    class: Option<u32>,
    f: impl FnOnce(&mut Lua, &mut T) -> Result<R>,
) -> Result<R> {
    match v {
        Value::UserData(u) => {
            let mut guard = u
                .data
                .try_borrow_mut()
                .map_err(|_| Error::BorrowError(T::type_name().into()))?;
            if let Some(this) = guard.downcast_mut::<T>() {
                return f(lua, this);
            }
        }
        Value::Host { class: c, bits } if Some(c) == class => {
            if let Some(mut this) = T::from_host_bits(bits) {
                return f(lua, &mut this);
            }
        }
        _ => {}
    }
    Err(self_error::<T>(lua, v, present))
}

/// `stack[base]`, the `self` of a native handler (nil when absent).
fn self_arg(lua: &Lua, base: usize, nargs: usize) -> Value {
    if nargs > 0 {
        lua.vm.stack[base]
    } else {
        Value::Nil
    }
}

/// "bad argument #1 (T expected, got `got`)", as `self_ud` reports it.
fn self_error<T: UserData>(lua: &mut Lua, v: Value, present: bool) -> Error {
    let got = if present {
        type_name(lua, v)
    } else {
        "no value".into()
    };
    Error::BadArgument {
        pos: 1,
        cause: Box::new(Error::from_lua(got, T::type_name())),
    }
}

fn shift(e: Error, by: usize) -> Error {
    match e {
        Error::BadArgument { pos, cause } => Error::BadArgument {
            pos: pos + by,
            cause,
        },
        e => e,
    }
}

fn method_body<T, A, R, F>(f: F, class: Option<u32>) -> Box<HostFn>
where
    T: UserData,
    A: FromLuaMulti,
    R: IntoLuaMulti,
    F: Fn(&mut Lua, &T, A) -> Result<R> + 'static,
{
    Box::new(
        move |vm: &mut Vm, base: usize, nargs: usize| -> LuaResult<usize> {
            guarded(vm, base, nargs, |lua| {
                let this = self_arg(lua, base, nargs);
                let r = with_this::<T, _>(lua, this, nargs > 0, class, |lua, this| {
                    let args = A::from_stack(lua, base + 1, nargs.saturating_sub(1))
                        .map_err(|e| shift(e, 1))?;
                    f(lua, this, args)
                })?;
                r.push_into_stack(lua)
            })
        },
    )
}

fn method_mut_body<T, A, R, F>(f: F, class: Option<u32>) -> Box<HostFn>
where
    T: UserData,
    A: FromLuaMulti,
    R: IntoLuaMulti,
    F: Fn(&mut Lua, &mut T, A) -> Result<R> + 'static,
{
    Box::new(
        move |vm: &mut Vm, base: usize, nargs: usize| -> LuaResult<usize> {
            guarded(vm, base, nargs, |lua| {
                let this = self_arg(lua, base, nargs);
                let r = with_this_mut::<T, _>(lua, this, nargs > 0, class, |lua, this| {
                    let args = A::from_stack(lua, base + 1, nargs.saturating_sub(1))
                        .map_err(|e| shift(e, 1))?;
                    f(lua, this, args)
                })?;
                r.push_into_stack(lua)
            })
        },
    )
}

fn function_body<A, R, F>(f: F) -> Box<HostFn>
where
    A: FromLuaMulti,
    R: IntoLuaMulti,
    F: Fn(&mut Lua, A) -> Result<R> + 'static,
{
    Box::new(
        move |vm: &mut Vm, base: usize, nargs: usize| -> LuaResult<usize> {
            guarded(vm, base, nargs, |lua| {
                let args = A::from_stack(lua, base, nargs)?;
                f(lua, args)?.push_into_stack(lua)
            })
        },
    )
}

impl<T: UserData> UserDataFields<T> for UserDataRegistry<T> {
    fn add_field_method_get<R, F>(&mut self, name: &str, get: F)
    where
        R: IntoLua,
        F: Fn(&mut Lua, &T) -> Result<R> + 'static,
    {
        self.getters.push((
            name.to_string(),
            Box::new(move |lua, this| get(lua, this)?.into_lua(lua)),
        ));
    }

    fn add_field_method_set<A, F>(&mut self, name: &str, set: F)
    where
        A: FromLua,
        F: Fn(&mut Lua, &mut T, A) -> Result<()> + 'static,
    {
        self.setters.push((
            name.to_string(),
            Box::new(move |lua, this, v| {
                let a = A::from_lua(v, lua)?;
                set(lua, this, a)
            }),
        ));
    }
}

impl<T: UserData> UserDataMethods<T> for UserDataRegistry<T> {
    fn add_method<A, R, F>(&mut self, name: &str, method: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, &T, A) -> Result<R> + 'static,
    {
        self.methods
            .push((name.to_string(), method_body(method, self.host_class)));
    }

    fn add_method_mut<A, R, F>(&mut self, name: &str, method: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, &mut T, A) -> Result<R> + 'static,
    {
        self.methods
            .push((name.to_string(), method_mut_body(method, self.host_class)));
    }

    fn add_function<A, R, F>(&mut self, name: &str, function: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, A) -> Result<R> + 'static,
    {
        self.methods
            .push((name.to_string(), function_body(function)));
    }

    fn add_meta_method<A, R, F>(&mut self, meta: MetaMethod, method: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, &T, A) -> Result<R> + 'static,
    {
        self.meta.push((meta, method_body(method, self.host_class)));
    }

    fn add_meta_method_mut<A, R, F>(&mut self, meta: MetaMethod, method: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, &mut T, A) -> Result<R> + 'static,
    {
        self.meta
            .push((meta, method_mut_body(method, self.host_class)));
    }

    fn add_meta_function<A, R, F>(&mut self, meta: MetaMethod, function: F)
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
        F: Fn(&mut Lua, A) -> Result<R> + 'static,
    {
        self.meta.push((meta, function_body(function)));
    }

    fn add_meta_index_raw<F>(&mut self, index: F)
    where
        F: Fn(&mut Lua, &T, Value) -> Result<Value> + 'static,
    {
        let f = Rc::new(index);
        let called = f.clone();
        let class = self.host_class;
        let body = move |vm: &mut Vm, base: usize, nargs: usize| -> LuaResult<usize> {
            guarded(vm, base, nargs, |lua| {
                let this = self_arg(lua, base, nargs);
                let key = lua.vm.arg(base, nargs, 1);
                let v =
                    with_this::<T, _>(lua, this, nargs > 0, class, |lua, t| called(lua, t, key))?;
                lua.vm.push(v);
                Ok(1)
            })
        };
        let direct = move |vm: &mut Vm, obj: Value, key: Value, _: Option<Value>| {
            guarded_direct(vm, 2, |lua| {
                with_this::<T, _>(lua, obj, true, class, |lua, t| f(lua, t, key))
            })
        };
        self.index = Some((Box::new(body), Some(Box::new(direct))));
    }

    fn add_meta_newindex_raw<F>(&mut self, newindex: F)
    where
        F: Fn(&mut Lua, &T, Value, Value) -> Result<()> + 'static,
    {
        let f = Rc::new(newindex);
        let called = f.clone();
        let class = self.host_class;
        let body = move |vm: &mut Vm, base: usize, nargs: usize| -> LuaResult<usize> {
            guarded(vm, base, nargs, |lua| {
                let this = self_arg(lua, base, nargs);
                let key = lua.vm.arg(base, nargs, 1);
                let value = lua.vm.arg(base, nargs, 2);
                with_this::<T, _>(lua, this, nargs > 0, class, |lua, t| {
                    called(lua, t, key, value)
                })?;
                Ok(0)
            })
        };
        let direct = move |vm: &mut Vm, obj: Value, key: Value, value: Option<Value>| {
            let value = value.unwrap_or(Value::Nil);
            guarded_direct(vm, 3, |lua| {
                with_this::<T, _>(lua, obj, true, class, |lua, t| f(lua, t, key, value))?;
                Ok(Value::Nil)
            })
        };
        self.newindex = Some((Box::new(body), Some(Box::new(direct))));
    }
}

/// Builds (once) the shared metatable of `T`.
fn metatable_of<T: UserData>(lua: &mut Lua) -> Gc<RawTable> {
    let id = TypeId::of::<T>();
    if let Some(&(_, mt, _)) = lua.state().metatables.iter().find(|(t, ..)| *t == id) {
        return mt;
    }
    // A host class's number is its metatable's index in `host_metatables`, pushed below
    // (registering the methods cannot reach the VM, so nothing else is pushed before).
    let host_class = T::HOST_VALUE.then_some(lua.vm.host_metatables.len() as u32);
    let mut reg = UserDataRegistry::<T> {
        getters: Vec::new(),
        setters: Vec::new(),
        methods: Vec::new(),
        meta: Vec::new(),
        index: None,
        newindex: None,
        host_class,
        _t: PhantomData,
    };
    T::add_fields(&mut reg);
    T::add_methods(&mut reg);

    let mt = lua.vm.new_table();
    // Rooted first: everything below hangs from it.
    super::lua::root_forever(lua, Value::Table(mt));
    lua.state().metatables.push((id, mt, host_class));
    if let Some(class) = host_class {
        lua.vm.host_metatables.push(mt);
        lua.vm.host_class_ids.push((id, class));
        lua.vm
            .host_fields
            .push(T::HOST_FIELDS.then_some(HostFields {
                get: host_get_of::<T>,
                set: host_set_of::<T>,
                get_leaf: T::HOST_LEAF.then_some(host_get_leaf_of::<T> as _),
                set_leaf: T::HOST_LEAF.then_some(host_set_leaf_of::<T> as _),
            }));
    }
    let name = lua.vm.new_str(T::type_name().as_bytes());
    lua.vm.set_field(mt, "__name", name);

    let methods = lua.vm.new_table();
    for (n, body) in reg.methods {
        let f = native_closure(lua, body, Vec::new());
        lua.vm.set_field(methods, &n, f);
    }
    methods.freeze();
    // The user's `__index`/`__newindex` bodies run inside the combined handlers below
    // (no second native call per access) or become the metamethods themselves.
    let mut user_index: Option<FieldBody> = reg.index;
    let mut user_newindex: Option<FieldBody> = reg.newindex;
    for (m, body) in reg.meta {
        match m {
            MetaMethod::Index => user_index = Some((body, None)),
            MetaMethod::NewIndex => user_newindex = Some((body, None)),
            _ => {
                let f = native_closure(lua, body, Vec::new());
                lua.vm.set_field(mt, m.name(), f);
            }
        }
    }

    // __index: the methods table itself when there is nothing else to look at.
    let index = match user_index {
        None if reg.getters.is_empty() => Value::Table(methods),
        Some((body, direct)) if reg.getters.is_empty() && !reg_has_methods(methods) => {
            field_handler(lua, body, direct, Vec::new())
        }
        user_index => {
            let (user_index, user_direct) = match user_index {
                Some((body, direct)) => (Some(body), direct),
                None => (None, None),
            };
            let names = lua.vm.new_table();
            let mut getters = Vec::new();
            for (i, (n, g)) in reg.getters.into_iter().enumerate() {
                lua.vm.set_field(names, &n, Value::Int(i as i64));
                getters.push(g);
            }
            names.freeze();
            let body = move |vm: &mut Vm, base: usize, nargs: usize| -> LuaResult<usize> {
                let key = vm.arg(base, nargs, 1);
                let m = methods.get(key);
                if !m.is_nil() {
                    vm.push(m);
                    return Ok(1);
                }
                if let Value::Int(i) = names.get(key) {
                    let Some(g) = getters.get(i as usize) else {
                        return Ok(0);
                    };
                    return guarded(vm, base, nargs, |lua| {
                        let this = self_arg(lua, base, nargs);
                        let v = with_this::<T, _>(lua, this, nargs > 0, host_class, |lua, t| {
                            g(lua, t)
                        })?;
                        lua.vm.push(v);
                        Ok(1)
                    });
                }
                if let Some(f) = &user_index {
                    return f(vm, base, nargs);
                }
                vm.push(Value::Nil);
                Ok(1)
            };
            // Direct form: methods and the user's direct `__index` without the native;
            // getters through it.
            let body: Rc<HostFn> = Rc::new(body);
            let called = emulated(body.clone());
            let direct = move |vm: &mut Vm, obj: Value, key: Value, value: Option<Value>| {
                let m = methods.get(key);
                if !m.is_nil() {
                    return Ok(m);
                }
                match &user_direct {
                    Some(d) if names.get(key).is_nil() => d(vm, obj, key, value),
                    _ => called(vm, obj, key, value),
                }
            };
            field_handler_rc(
                lua,
                body,
                Box::new(direct),
                vec![Value::Table(methods), Value::Table(names)],
            )
        }
    };
    lua.vm.set_field(mt, "__index", index);

    if !reg.setters.is_empty() {
        let names = lua.vm.new_table();
        let mut setters = Vec::new();
        for (i, (n, s)) in reg.setters.into_iter().enumerate() {
            lua.vm.set_field(names, &n, Value::Int(i as i64));
            setters.push(s);
        }
        names.freeze();
        let body = move |vm: &mut Vm, base: usize, nargs: usize| -> LuaResult<usize> {
            let key = vm.arg(base, nargs, 1);
            let value = vm.arg(base, nargs, 2);
            if let Value::Int(i) = names.get(key) {
                if let Some(s) = setters.get(i as usize) {
                    return guarded(vm, base, nargs, |lua| {
                        let this = self_arg(lua, base, nargs);
                        with_this_mut::<T, _>(lua, this, nargs > 0, host_class, |lua, t| {
                            s(lua, t, value)
                        })
                        .map_err(|e| match e {
                            e @ Error::FromLua { .. } => Error::BadArgument {
                                pos: 3,
                                cause: Box::new(e),
                            },
                            e => e,
                        })?;
                        Ok(0)
                    });
                }
            }
            if let Some((f, _)) = &user_newindex {
                return f(vm, base, nargs);
            }
            let k = vm.tostring_raw(key);
            let e = Error::runtime(format!(
                "cannot set field '{}' of {}",
                String::from_utf8_lossy(&k),
                T::type_name()
            ));
            Err(raise(vm, e, nargs, 0))
        };
        let f = field_handler(lua, Box::new(body), None, vec![Value::Table(names)]);
        lua.vm.set_field(mt, "__newindex", f);
    } else if let Some((body, direct)) = user_newindex {
        let f = field_handler(lua, body, direct, Vec::new());
        lua.vm.set_field(mt, "__newindex", f);
    }
    // Shared by every script: nobody may change it.
    mt.freeze();
    mt
}

/// An `__index`/`__newindex` handler in both forms: the native the metamethod is, and the
/// direct form the VM calls in its place for a field of the userdata (no frame, so a
/// field costs a Rust call). Without a direct form of its own, the direct form runs the
/// same body with the operands pushed as its arguments.
fn field_handler(
    lua: &mut Lua,
    body: Box<HostFn>,
    direct: Option<Box<DirectFieldFn>>,
    upvals: Vec<Value>,
) -> Value {
    let body: Rc<HostFn> = Rc::from(body);
    let direct = direct.unwrap_or_else(|| emulated(body.clone()));
    field_handler_rc(lua, body, direct, upvals)
}

fn field_handler_rc(
    lua: &mut Lua,
    body: Rc<HostFn>,
    direct: Box<DirectFieldFn>,
    upvals: Vec<Value>,
) -> Value {
    native_closure_direct(
        lua,
        Box::new(move |vm: &mut Vm, base: usize, nargs: usize| body(vm, base, nargs)),
        Some(direct),
        upvals,
    )
}

/// The direct form of a native handler: its operands pushed as arguments, its first
/// result taken.
fn emulated(body: Rc<HostFn>) -> Box<DirectFieldFn> {
    Box::new(
        move |vm: &mut Vm, obj: Value, key: Value, value: Option<Value>| {
            let base = vm.top;
            // As a called native: room for its arguments and LUA_MINSTACK slots.
            vm.ensure_stack(base + 3 + 20)?;
            vm.push(obj);
            vm.push(key);
            if let Some(v) = value {
                vm.push(v);
            }
            let n = body(vm, base, vm.top - base)?;
            let r = if n > 0 {
                vm.stack[vm.top - n]
            } else {
                Value::Nil
            };
            vm.top = base;
            Ok(r)
        },
    )
}

fn reg_has_methods(methods: Gc<RawTable>) -> bool {
    !methods.is_empty()
}

/// The host class of `T` (`None` unless `T::HOST_VALUE`). On the path of every host
/// value made: a direct-mapped cache in front of a scan of the host types, registering
/// `T` the first time.
#[inline]
fn host_class_of<T: UserData>(lua: &mut Lua) -> Option<u32> {
    if !T::HOST_VALUE {
        return None;
    }
    if let Some(class) = known_host_class::<T>(&lua.vm) {
        return Some(class);
    }
    metatable_of::<T>(lua);
    let class = known_host_class::<T>(&lua.vm)?;
    let id = TypeId::of::<T>();
    lua.vm.host_class_cache[type_slot(id)] = Some((id, class));
    Some(class)
}

/// The host class of `T` if `vm` has registered it (the cache, then a scan).
#[inline]
pub(crate) fn known_host_class<T: UserData>(vm: &Vm) -> Option<u32> {
    if !T::HOST_VALUE {
        return None;
    }
    let id = TypeId::of::<T>();
    match vm.host_class_cache[type_slot(id)] {
        Some((t, class)) if t == id => Some(class),
        _ => vm
            .host_class_ids
            .iter()
            .find(|(t, _)| *t == id)
            .map(|&(_, c)| c),
    }
}

/// A slot of `Vm::host_class_cache` for `id`: low bits of its hash (a type id hashes to
/// bits of itself, already well mixed).
#[inline]
fn type_slot(id: TypeId) -> usize {
    struct Bits(u64);
    impl std::hash::Hasher for Bits {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for &b in bytes {
                self.0 = self.0.rotate_left(8) ^ u64::from(b);
            }
        }
        fn write_u64(&mut self, v: u64) {
            self.0 ^= v;
        }
    }
    let mut h = Bits(0);
    std::hash::Hash::hash(&id, &mut h);
    (h.0 % 16) as usize
}

impl<T: UserData> IntoLua for T {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        if let Some(class) = host_class_of::<T>(lua) {
            return Ok(Value::Host {
                class,
                bits: self.host_bits(),
            });
        }
        let mt = metatable_of::<T>(lua);
        let ud = lua.vm.heap.alloc(RawUserData {
            data: RefCell::new(Box::new(self)),
            metatable: Cell::new(Some(mt)),
            user_value: Cell::new(Value::Nil),
        });
        Ok(Value::UserData(ud))
    }
}

/// A copy of the Rust value in a userdata of type `T`.
impl<T: UserData + Clone> FromLua for T {
    fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
        if let Value::Host { class, bits } = v {
            if Some(class) == host_class_of::<T>(lua) {
                if let Some(t) = T::from_host_bits(bits) {
                    return Ok(t);
                }
            }
        }
        if let Value::UserData(u) = v {
            if let Ok(d) = u.data.try_borrow() {
                if let Some(t) = d.downcast_ref::<T>() {
                    return Ok(t.clone());
                }
            } else {
                return Err(Error::BorrowError(T::type_name().into()));
            }
        }
        Err(Error::from_lua(type_name(lua, v), T::type_name()))
    }
}

impl Lua {
    /// Wraps a Rust value as a userdata (rooted handle). `IntoLua` does the same without
    /// the handle, e.g. `lua.set_global("v", Vec3 { .. })`.
    pub fn create_userdata<T: UserData>(&mut self, data: T) -> Result<AnyUserData> {
        self.drain_released();
        let v = data.into_lua(self)?;
        match v {
            Value::UserData(u) => Ok(AnyUserData::new(self, u)),
            _ => Err(Error::runtime("userdata creation failed")),
        }
    }
}

impl AnyUserData {
    /// Is this a `T`?
    pub fn is<T: 'static>(&self, lua: &Lua) -> bool {
        lua.check_key(&self.key).is_ok() && self.type_id_matches::<T>()
    }

    fn type_id_matches<T: 'static>(&self) -> bool {
        match self.gc.data.try_borrow() {
            Ok(d) => d.is::<T>(),
            // Borrowed mutably right now: cannot look, assume not.
            Err(_) => false,
        }
    }

    /// Borrows the Rust value.
    ///
    /// ```
    /// use selenite::api::{AnyUserData, Lua, UserData};
    /// struct Health(i32);
    /// impl UserData for Health {}
    /// struct Mana(i32);
    /// impl UserData for Mana {}
    ///
    /// let mut lua = Lua::new();
    /// let ud: AnyUserData = lua.create_userdata(Health(10)).unwrap();
    /// ud.borrow_mut::<Health>(&lua).unwrap().0 -= 3;
    /// assert_eq!(ud.borrow::<Health>(&lua).unwrap().0, 7);
    /// assert!(ud.borrow::<Mana>(&lua).is_err());
    /// ```
    pub fn borrow<'a, T: UserData>(&'a self, lua: &'a Lua) -> Result<Ref<'a, T>> {
        lua.check_key(&self.key)?;
        let r = self
            .gc
            .data
            .try_borrow()
            .map_err(|_| Error::BorrowError(T::type_name().into()))?;
        Ref::filter_map(r, |b| b.downcast_ref::<T>()).map_err(|_| self.type_mismatch::<T>())
    }

    /// Borrows the Rust value mutably.
    pub fn borrow_mut<'a, T: UserData>(&'a self, lua: &'a Lua) -> Result<RefMut<'a, T>> {
        lua.check_key(&self.key)?;
        let r = self
            .gc
            .data
            .try_borrow_mut()
            .map_err(|_| Error::BorrowError(T::type_name().into()))?;
        RefMut::filter_map(r, |b| b.downcast_mut::<T>()).map_err(|_| self.type_mismatch::<T>())
    }

    fn type_mismatch<T: UserData>(&self) -> Error {
        let got = match self.gc.metatable.get() {
            Some(mt) => {
                let mut key = Value::Nil;
                let mut name = "userdata".to_string();
                while let crate::table::Next::Pair(k, v) = mt.next(key) {
                    if k.as_str() == Some(b"__name") {
                        if let Some(b) = v.as_str() {
                            name = String::from_utf8_lossy(b).into_owned();
                        }
                    }
                    key = k;
                }
                name
            }
            None => "userdata".into(),
        };
        Error::UserDataType {
            expected: T::type_name().into(),
            got,
        }
    }
}
