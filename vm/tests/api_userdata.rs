//! Userdata: methods, fields, metamethods, type and borrow errors.

use selenite::api::{
    AnyUserData, Error, Lua, MetaMethod, UserData, UserDataFields, UserDataMethods,
};

#[derive(Clone, Copy, Debug, PartialEq)]
struct Vec3 {
    x: f64,
    y: f64,
    z: f64,
}

impl UserData for Vec3 {
    fn add_fields(fields: &mut impl UserDataFields<Self>) {
        fields.add_field_method_get("x", |_, v| Ok(v.x));
        fields.add_field_method_get("y", |_, v| Ok(v.y));
        fields.add_field_method_get("z", |_, v| Ok(v.z));
        fields.add_field_method_set("x", |_, v, x: f64| {
            v.x = x;
            Ok(())
        });
    }

    fn add_methods(methods: &mut impl UserDataMethods<Self>) {
        methods.add_method("length", |_, v, ()| {
            Ok((v.x * v.x + v.y * v.y + v.z * v.z).sqrt())
        });
        methods.add_method_mut("scale", |_, v, k: f64| {
            v.x *= k;
            v.y *= k;
            v.z *= k;
            Ok(())
        });
        methods.add_function("new", |_, (x, y, z): (f64, f64, f64)| Ok(Vec3 { x, y, z }));
        methods.add_meta_method(MetaMethod::Add, |_, a, b: Vec3| {
            Ok(Vec3 {
                x: a.x + b.x,
                y: a.y + b.y,
                z: a.z + b.z,
            })
        });
        methods.add_meta_function(MetaMethod::Mul, |_, (a, b): (f64, Vec3)| {
            Ok(Vec3 {
                x: a * b.x,
                y: a * b.y,
                z: a * b.z,
            })
        });
        methods.add_meta_method(MetaMethod::Unm, |_, a, ()| {
            Ok(Vec3 {
                x: -a.x,
                y: -a.y,
                z: -a.z,
            })
        });
        methods.add_meta_method(MetaMethod::Eq, |_, a, b: Vec3| Ok(*a == b));
        methods.add_meta_method(MetaMethod::Lt, |_, a, b: Vec3| Ok(a.x < b.x));
        methods.add_meta_method(MetaMethod::Len, |_, _, ()| Ok(3));
        methods.add_meta_method(MetaMethod::ToString, |_, v, ()| {
            Ok(format!("Vec3({}, {}, {})", v.x, v.y, v.z))
        });
        methods.add_meta_method(MetaMethod::Call, |_, v, k: f64| Ok(v.x * k));
        // Re-enters the same value mutably through Lua.
        methods.add_method("each", |lua, _, f: selenite::api::Function| {
            f.call::<_, ()>(lua, ())
        });
    }
}

struct Entity(u64);
impl UserData for Entity {
    fn type_name() -> &'static str {
        "Entity"
    }
    fn add_methods(methods: &mut impl UserDataMethods<Self>) {
        methods.add_method("id", |_, e, ()| Ok(e.0));
    }
}

fn setup() -> Lua {
    let mut lua = Lua::new();
    lua.set_global(
        "a",
        Vec3 {
            x: 1.0,
            y: 2.0,
            z: 2.0,
        },
    )
    .unwrap();
    lua.set_global(
        "b",
        Vec3 {
            x: 3.0,
            y: 0.0,
            z: 0.0,
        },
    )
    .unwrap();
    lua.set_global("e", Entity(77)).unwrap();
    let ctor = lua
        .create_function(|_, (x, y, z): (f64, f64, f64)| Ok(Vec3 { x, y, z }))
        .unwrap();
    lua.set_global("vec3", ctor).unwrap();
    lua
}

#[test]
fn methods_and_fields() {
    let mut lua = setup();
    assert_eq!(lua.exec::<f64>("return a:length()", "=u").unwrap(), 3.0);
    assert_eq!(
        lua.exec::<f64>("a.x = 2; return a.x + a.y", "=u").unwrap(),
        4.0
    );
    assert_eq!(
        lua.exec::<f64>("a:scale(2); return a.x", "=u").unwrap(),
        4.0
    );
    assert_eq!(lua.exec::<u64>("return e:id()", "=u").unwrap(), 77);
    assert_eq!(
        lua.exec::<f64>("return a.new(1, 1, 1).y", "=u").unwrap(),
        1.0
    );
    assert!(lua.exec::<bool>("return a.nothing == nil", "=u").unwrap());
    let err = lua.exec::<()>("a.y = 5", "@u.lua").unwrap_err();
    assert_eq!(err.to_string(), "u.lua:1: cannot set field 'y' of Vec3");
    let err = lua.exec::<()>("a.x = 'far'", "@u.lua").unwrap_err();
    assert!(
        err.to_string().contains("number expected, got string"),
        "{err}"
    );
    let v: Vec3 = lua.get_global("a").unwrap();
    assert_eq!(
        v,
        Vec3 {
            x: 4.0,
            y: 4.0,
            z: 4.0
        }
    );
}

#[test]
fn metamethods() {
    let mut lua = setup();
    let r: Vec3 = lua.exec("return a + b", "=m").unwrap();
    assert_eq!(
        r,
        Vec3 {
            x: 4.0,
            y: 2.0,
            z: 2.0
        }
    );
    let r: Vec3 = lua.exec("return 2 * b", "=m").unwrap();
    assert_eq!(r.x, 6.0);
    let r: Vec3 = lua.exec("return -b", "=m").unwrap();
    assert_eq!(r.x, -3.0);
    assert_eq!(
        lua.exec::<String>("return tostring(b)", "=m").unwrap(),
        "Vec3(3, 0, 0)"
    );
    assert_eq!(lua.exec::<i64>("return #a", "=m").unwrap(), 3);
    assert!(lua
        .exec::<bool>("return vec3(1, 2, 3) == vec3(1, 2, 3)", "=m")
        .unwrap());
    assert!(!lua.exec::<bool>("return a == b", "=m").unwrap());
    assert!(lua.exec::<bool>("return a < b", "=m").unwrap());
    assert_eq!(lua.exec::<f64>("return b(2)", "=m").unwrap(), 6.0);
    // __name shows in tostring of types without __tostring and in type errors.
    let s: String = lua.exec("return tostring(e)", "=m").unwrap();
    assert!(s.starts_with("Entity: "), "{s}");
}

#[test]
fn type_errors() {
    let mut lua = setup();
    let err = lua.exec::<()>("a.length({})", "@t.lua").unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.lua:1: bad argument #1 to 'length' (Vec3 expected, got table)"
    );
    let err = lua.exec::<()>("a.length(e)", "@t.lua").unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.lua:1: bad argument #1 to 'length' (Vec3 expected, got Entity)"
    );
    let err = lua
        .exec::<()>("local l = a.length; l()", "@t.lua")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.lua:1: bad argument #1 to 'l' (Vec3 expected, got no value)"
    );
    let err = lua.exec::<()>("a:scale('x')", "@t.lua").unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.lua:1: bad argument #1 to 'scale' (number expected, got string)"
    );
    let err = lua.exec::<()>("e.id(a)", "@t.lua").unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.lua:1: bad argument #1 to 'id' (Entity expected, got Vec3)"
    );
    let err = lua
        .exec::<()>("local _ = vec3(1, 2, 3) + 1", "@t.lua")
        .unwrap_err();
    assert!(
        err.to_string().contains("Vec3 expected, got number"),
        "{err}"
    );
    let e = lua.exec::<Vec3>("return e", "=t").unwrap_err();
    assert_eq!(e.to_string(), "expected Vec3, got Entity");
}

#[test]
fn metatable_is_shared_and_frozen() {
    let mut lua = setup();
    assert!(lua
        .exec::<bool>("return getmetatable(a) == getmetatable(b)", "=f")
        .unwrap());
    let err = lua
        .exec::<()>("getmetatable(a).__index = nil", "@f.lua")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "f.lua:1: attempt to modify a read-only table"
    );
    let err = lua
        .exec::<()>("getmetatable(a).__add = print", "@f.lua")
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
}

#[test]
fn borrows() {
    let mut lua = setup();
    let ud: AnyUserData = lua.get_global("a").unwrap();
    assert!(ud.is::<Vec3>(&lua));
    assert!(!ud.is::<Entity>(&lua));
    ud.borrow_mut::<Vec3>(&lua).unwrap().z = 9.0;
    assert_eq!(lua.exec::<f64>("return a.z", "=b").unwrap(), 9.0);
    {
        let _guard = ud.borrow::<Vec3>(&lua).unwrap();
        assert!(matches!(
            ud.borrow_mut::<Vec3>(&lua),
            Err(Error::BorrowError(_))
        ));
    }
    assert!(matches!(
        ud.borrow::<Entity>(&lua),
        Err(Error::UserDataType { .. })
    ));
    // Re-entrant mutable borrow from Lua is an error, not UB.
    let mutate = lua
        .create_function(|lua, ud: AnyUserData| {
            let mut v = ud.borrow_mut::<Vec3>(lua)?;
            v.x += 1.0;
            Ok(())
        })
        .unwrap();
    lua.set_global("mutate", mutate).unwrap();
    lua.exec::<()>("mutate(a)", "=b").unwrap();
    let err = lua
        .exec::<()>("a:each(function() a:scale(2) end)", "@b.lua")
        .unwrap_err();
    assert!(err.to_string().contains("already borrowed"), "{err}");
    // The value survives collections while referenced from Lua only.
    lua.exec::<()>("keep = vec3(5, 5, 5)", "=b").unwrap();
    lua.collect_garbage();
    assert_eq!(lua.exec::<f64>("return keep.x", "=b").unwrap(), 5.0);
}

/// Field reads and writes take the handlers' direct form (no call frame) unless a debug
/// hook is set; both must give the same results and the same error messages.
#[test]
fn direct_field_access_matches_the_called_handler() {
    let snippets = [
        "return a.x + a.y",
        "a.x = 7; return a.x",
        "return a.nothing == nil",
        "return a.length ~= nil",
        "a.y = 5",
        "a.x = 'far'",
        "a.x = nil",
        "local t = {}; for i = 1, 3 do a.x = i; t[i] = a.x end; return t[1] + t[2] + t[3]",
        "return select('#', pcall(function() a.y = 1 end))",
        "return (pcall(function() a.x = {} end))",
        "return e.nope",
    ];
    for src in snippets {
        let mut outcomes = Vec::new();
        for hooked in [false, true] {
            let mut lua = setup();
            if hooked {
                // A call hook makes the VM call the handlers with a frame.
                lua.exec::<()>("debug.sethook(function() end, 'c')", "=h")
                    .unwrap();
            }
            let r = lua.exec::<selenite::api::LuaValue>(src, "@u.lua");
            outcomes.push(match r {
                Ok(v) => format!("ok {v:?}"),
                Err(e) => format!("error {e}"),
            });
        }
        assert_eq!(outcomes[0], outcomes[1], "{src}");
    }
    // The argument error of a setter names the metamethod, as PUC Lua does.
    let mut lua = setup();
    let err = lua.exec::<()>("a.x = 'far'", "@u.lua").unwrap_err();
    assert_eq!(
        err.to_string(),
        "u.lua:1: bad argument #3 to 'newindex' (number expected, got string)"
    );
}

/// A handle passed as a host value: no allocation, compared by bits, with its metatable.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Handle(u64);

impl UserData for Handle {
    const HOST_VALUE: bool = true;
    fn host_bits(&self) -> u64 {
        self.0
    }
    fn from_host_bits(bits: u64) -> Option<Self> {
        (bits != u64::MAX).then_some(Handle(bits))
    }
    // `triple` is answered before the metatable (and by `__index` too, for hooked runs);
    // setting `triple` is refused with an error.
    const HOST_FIELDS: bool = true;
    fn host_get(
        &self,
        _: &mut Lua,
        key: selenite::Value,
    ) -> selenite::api::Result<Option<selenite::Value>> {
        Ok((key.as_str() == Some(b"triple")).then_some(selenite::Value::Int(self.0 as i64 * 3)))
    }
    fn host_set(
        &self,
        _: &mut Lua,
        key: selenite::Value,
        _: selenite::Value,
    ) -> selenite::api::Result<bool> {
        if key.as_str() == Some(b"triple") {
            return Err(Error::runtime("triple is read-only"));
        }
        Ok(false)
    }
    fn add_methods(methods: &mut impl UserDataMethods<Self>) {
        methods.add_method("id", |_, h, ()| Ok(h.0));
        methods.add_method_mut("bump", |_, h, ()| {
            h.0 += 1;
            Ok(h.0)
        });
        methods.add_meta_index_raw(|_, h, key| {
            Ok(match key.as_str() {
                Some(b"double") => selenite::Value::Int(h.0 as i64 * 2),
                Some(b"triple") => selenite::Value::Int(h.0 as i64 * 3),
                _ => selenite::Value::Nil,
            })
        });
        // Handles are equal when their ids are equal modulo 10 (to see `__eq` called).
        methods.add_meta_function(MetaMethod::Eq, |_, (a, b): (Handle, Handle)| {
            Ok(a.0 % 10 == b.0 % 10)
        });
        methods.add_meta_method(MetaMethod::ToString, |_, h, ()| {
            Ok(format!("Handle#{}", h.0))
        });
    }
}

/// Another host class, to check values of one are never taken for the other.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Other(u64);

impl UserData for Other {
    const HOST_VALUE: bool = true;
    fn host_bits(&self) -> u64 {
        self.0
    }
    fn from_host_bits(bits: u64) -> Option<Self> {
        Some(Other(bits))
    }
}

#[test]
fn host_values() {
    let mut lua = Lua::new();
    lua.set_global("a", Handle(3)).unwrap();
    lua.set_global("b", Handle(3)).unwrap();
    lua.set_global("c", Handle(13)).unwrap();
    lua.set_global("o", Other(3)).unwrap();
    let check = |lua: &mut Lua, src: &str| {
        assert!(lua.exec::<bool>(src, "=h").unwrap(), "{src}");
    };
    check(&mut lua, "return type(a) == 'userdata'");
    check(&mut lua, "return rawequal(a, b) and not rawequal(a, c)");
    // `__eq` is consulted as for full userdata; another class with the same bits is
    // not raw-equal.
    check(&mut lua, "return a == c and not rawequal(a, o)");
    check(
        &mut lua,
        "local t = {[a] = 1}; return t[b] == 1 and t[c] == nil",
    );
    check(
        &mut lua,
        "return a:id() == 3 and a.double == 6 and a.nothing == nil",
    );
    check(&mut lua, "return a.triple == 9 and c.triple == 39");
    let err = lua.exec::<()>("a.triple = 1", "@h.lua").unwrap_err();
    assert_eq!(err.to_string(), "h.lua:1: triple is read-only");
    let err = lua.exec::<()>("a.other = 1", "@h.lua").unwrap_err();
    assert!(err.to_string().contains("attempt to index"), "{err}");
    // With a debug hook the VM calls `__index` instead: same answers.
    check(
        &mut lua,
        "debug.sethook(function() end, 'c') local r = a.triple == 9 and a.double == 6 \
         debug.sethook() return r",
    );
    check(&mut lua, "return a:bump() == 4 and a:id() == 3"); // a copy was bumped
    check(&mut lua, "return tostring(c) == 'Handle#13'");
    check(&mut lua, "return getmetatable(a) == getmetatable(c)");
    check(&mut lua, "collectgarbage(); return a:id() == 3");
    let err = lua.exec::<()>("a.id(o)", "@h.lua").unwrap_err();
    assert_eq!(
        err.to_string(),
        "h.lua:1: bad argument #1 to 'id' (Handle expected, got Other)"
    );
    let h: Handle = lua.get_global("c").unwrap();
    assert_eq!(h, Handle(13));
    assert!(lua.get_global::<Handle>("o").is_err());
    // Bits the type refuses are not a value of it.
    lua.set_global("bad", Other(u64::MAX)).unwrap();
    assert!(lua.exec::<()>("a.id(bad)", "=h").is_err());
}

thread_local! {
    /// Accesses that went down the full path (`host_get`/`host_set`), by key.
    static FULL_PATH: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Values written by `Leafy` (the leaf and the full path store them alike).
    static STORED: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

/// A host type whose leaf fields answer `fast`, decline `slow` and panic on `boom`; the
/// full path answers all three, so every script sees the same values whichever answers.
#[derive(Clone, Copy)]
struct Leafy(u64);

impl UserData for Leafy {
    const HOST_VALUE: bool = true;
    fn host_bits(&self) -> u64 {
        self.0
    }
    fn from_host_bits(bits: u64) -> Option<Self> {
        Some(Leafy(bits))
    }
    const HOST_FIELDS: bool = true;
    fn host_get(
        &self,
        _: &mut Lua,
        key: selenite::Value,
    ) -> selenite::api::Result<Option<selenite::Value>> {
        let k = String::from_utf8_lossy(key.as_str().unwrap_or(b"?")).into_owned();
        FULL_PATH.with(|f| f.borrow_mut().push(k.clone()));
        Ok(match k.as_str() {
            "fast" | "slow" | "boom" => Some(selenite::Value::Int(self.0 as i64 + STORED.get())),
            "fail" => return Err(Error::runtime("no such field: fail")),
            _ => None,
        })
    }
    fn host_set(
        &self,
        _: &mut Lua,
        key: selenite::Value,
        value: selenite::Value,
    ) -> selenite::api::Result<bool> {
        let k = String::from_utf8_lossy(key.as_str().unwrap_or(b"?")).into_owned();
        FULL_PATH.with(|f| f.borrow_mut().push(format!("set {k}")));
        match value {
            selenite::Value::Int(v) => {
                STORED.set(v);
                Ok(true)
            }
            _ => Err(Error::runtime("an integer is wanted")),
        }
    }
    const HOST_LEAF: bool = true;
    fn host_get_leaf(&self, lua: &Lua, key: selenite::Value) -> Option<selenite::Value> {
        match key.as_str()? {
            b"fast" => Some(selenite::Value::Int(self.0 as i64 + STORED.get())),
            b"boom" => panic!("leaf panic"),
            // A host value of its own class, known once one went to Lua.
            b"me" => lua.known_host_value(self),
            _ => None,
        }
    }
    fn host_set_leaf(&self, _: &Lua, key: selenite::Value, value: selenite::Value) -> bool {
        match (key.as_str(), value) {
            (Some(b"fast"), selenite::Value::Int(v)) => {
                STORED.set(v);
                true
            }
            _ => false,
        }
    }
}

#[test]
fn leaf_host_fields_answer_the_common_case_and_defer_the_rest() {
    let mut lua = Lua::new();
    lua.set_global("h", Leafy(10)).unwrap();
    let full = || FULL_PATH.with(|f| std::mem::take(&mut *f.borrow_mut()));
    full();
    // Answered by the leaf: no full-path call.
    let v: i64 = lua.exec("return h.fast + h.fast", "=t").unwrap();
    assert_eq!(v, 20);
    assert!(full().is_empty());
    // Declined by the leaf: the full path answers, errors included.
    let v: i64 = lua.exec("return h.slow", "=t").unwrap();
    assert_eq!(v, 10);
    assert_eq!(full(), ["slow"]);
    let err = lua
        .exec::<()>("local x = h.fail", "=t")
        .unwrap_err()
        .to_string();
    assert!(err.contains("no such field: fail"), "{err}");
    full();
    // A panicking leaf: the full path takes the access.
    let v: i64 = lua.exec("return h.boom", "=t").unwrap();
    assert_eq!(v, 10);
    assert_eq!(full(), ["boom"]);
    // Host values from a leaf.
    let same: bool = lua.exec("return rawequal(h.me, h)", "=t").unwrap();
    assert!(same);
    // Writes: the leaf takes integers into `fast`; anything else goes the full way.
    lua.exec::<()>("h.fast = 5", "=t").unwrap();
    assert_eq!(STORED.get(), 5);
    assert!(full().is_empty());
    lua.exec::<()>("h.slow = 7", "=t").unwrap();
    assert_eq!(STORED.get(), 7);
    assert_eq!(full(), ["set slow"]);
    let err = lua
        .exec::<()>("h.fast = 'x'", "=t")
        .unwrap_err()
        .to_string();
    assert!(err.contains("an integer is wanted"), "{err}");
    full();
    // Under a debug hook host fields stay out of the way, leaf included: the hook must
    // see the `__index` call (this type has no `__index`, so the field reads nil).
    let v: Option<i64> = lua
        .exec(
            "debug.sethook(function() end, 'c'); local v = h.fast; debug.sethook(); return v",
            "=t",
        )
        .unwrap();
    assert_eq!(v, None);
    assert!(full().is_empty());
}
