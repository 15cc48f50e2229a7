//! Math value types for scripts: `Vec2`, `Vec3`, `Vec4`, `Quat`, `Color`.
//!
//! Each is a userdata holding the Bevy value (a copy: assigning it somewhere copies it), with
//! operators (`+ - * / unary- ==`), fields (`v.x`, `c.r`), methods (`v:length()`,
//! `a:dot(b)`, `a:lerp(b, t)`...) and a global table of constructors and constants
//! (`Vec3.new(1, 2, 3)`, `Vec3.ZERO`, `Quat.from_rotation_z(a)`, `Color.rgb(1, 0, 0)`).
//! The methods also accept component fields of these types (`t.translation:length()`).

use bevy::color::{Alpha, Color, ColorToComponents, LinearRgba, Srgba};
use bevy::math::{EulerRot, Quat, Vec2, Vec3, Vec4};
use selenite::api::{
    Error, FromLua, IntoLua, Lua, LuaValue, MetaMethod, Result, Table, UserData, UserDataMethods,
    Variadic,
};
use selenite::Value;

use crate::reflect::CompRef;

macro_rules! wrapper {
    ($name:ident, $inner:ty, $lua_name:literal, $variant:ident) => {
        /// Script userdata for the Bevy type of the same name.
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $name(pub $inner);

        impl UserData for $name {
            fn type_name() -> &'static str {
                $lua_name
            }
            fn add_methods(methods: &mut impl UserDataMethods<Self>) {
                add_math_methods(methods, $lua_name);
                methods.add_meta_method_mut(
                    MetaMethod::NewIndex,
                    |_, v: &mut Self, (key, x): (String, f64)| {
                        let mut m = MathValue::$variant(v.0);
                        m.set_index(&key, x)?;
                        if let MathValue::$variant(n) = m {
                            v.0 = n;
                        }
                        Ok(())
                    },
                );
            }
        }
    };
}

wrapper!(LuaVec2, Vec2, "Vec2", Vec2);
wrapper!(LuaVec3, Vec3, "Vec3", Vec3);
wrapper!(LuaVec4, Vec4, "Vec4", Vec4);
wrapper!(LuaQuat, Quat, "Quat", Quat);
wrapper!(LuaColor, Color, "Color", Color);

/// A number or one of the math types, as an operand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MathValue {
    Num(f64),
    Vec2(Vec2),
    Vec3(Vec3),
    Vec4(Vec4),
    Quat(Quat),
    Color(Color),
}

impl MathValue {
    pub fn type_name(&self) -> &'static str {
        match self {
            MathValue::Num(_) => "number",
            MathValue::Vec2(_) => "Vec2",
            MathValue::Vec3(_) => "Vec3",
            MathValue::Vec4(_) => "Vec4",
            MathValue::Quat(_) => "Quat",
            MathValue::Color(_) => "Color",
        }
    }

    /// Reads a math value out of a raw Lua value, if it is one (numbers included).
    pub fn from_raw(lua: &mut Lua, v: Value) -> Result<Option<MathValue>> {
        Ok(match v {
            Value::Host { .. } => match crate::reflect::comp_ref_of(lua, v) {
                Some(r) => r.read_math()?,
                None => None,
            },
            Value::Int(i) => Some(MathValue::Num(i as f64)),
            Value::Float(x) => Some(MathValue::Num(x)),
            Value::UserData(u) => {
                let d = u
                    .data
                    .try_borrow()
                    .map_err(|_| Error::BorrowError("userdata".into()))?;
                if let Some(v) = d.downcast_ref::<LuaVec3>() {
                    Some(MathValue::Vec3(v.0))
                } else if let Some(v) = d.downcast_ref::<LuaVec2>() {
                    Some(MathValue::Vec2(v.0))
                } else if let Some(v) = d.downcast_ref::<LuaQuat>() {
                    Some(MathValue::Quat(v.0))
                } else if let Some(v) = d.downcast_ref::<LuaVec4>() {
                    Some(MathValue::Vec4(v.0))
                } else if let Some(v) = d.downcast_ref::<LuaColor>() {
                    Some(MathValue::Color(v.0))
                } else if let Some(r) = d.downcast_ref::<CompRef>() {
                    let r = r.clone();
                    drop(d);
                    r.read_math()?
                } else {
                    None
                }
            }
            _ => None,
        })
    }

    fn field(&self, key: &str) -> Option<f64> {
        let f = |v: f32| Some(v as f64);
        match (self, key) {
            (MathValue::Vec2(v), "x") => f(v.x),
            (MathValue::Vec2(v), "y") => f(v.y),
            (MathValue::Vec3(v), "x") => f(v.x),
            (MathValue::Vec3(v), "y") => f(v.y),
            (MathValue::Vec3(v), "z") => f(v.z),
            (MathValue::Vec4(v), "x") => f(v.x),
            (MathValue::Vec4(v), "y") => f(v.y),
            (MathValue::Vec4(v), "z") => f(v.z),
            (MathValue::Vec4(v), "w") => f(v.w),
            (MathValue::Quat(v), "x") => f(v.x),
            (MathValue::Quat(v), "y") => f(v.y),
            (MathValue::Quat(v), "z") => f(v.z),
            (MathValue::Quat(v), "w") => f(v.w),
            (MathValue::Color(c), k) => {
                let s = c.to_srgba();
                match k {
                    "r" => f(s.red),
                    "g" => f(s.green),
                    "b" => f(s.blue),
                    "a" => f(s.alpha),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn set_field(&mut self, key: &str, x: f64) -> bool {
        let x = x as f32;
        let slot: Option<&mut f32> = match (&mut *self, key) {
            (MathValue::Vec2(v), "x") => Some(&mut v.x),
            (MathValue::Vec2(v), "y") => Some(&mut v.y),
            (MathValue::Vec3(v), "x") => Some(&mut v.x),
            (MathValue::Vec3(v), "y") => Some(&mut v.y),
            (MathValue::Vec3(v), "z") => Some(&mut v.z),
            (MathValue::Vec4(v), "x") => Some(&mut v.x),
            (MathValue::Vec4(v), "y") => Some(&mut v.y),
            (MathValue::Vec4(v), "z") => Some(&mut v.z),
            (MathValue::Vec4(v), "w") => Some(&mut v.w),
            (MathValue::Quat(q), k) => {
                let mut a = q.to_array();
                let i = match k {
                    "x" => 0,
                    "y" => 1,
                    "z" => 2,
                    "w" => 3,
                    _ => return false,
                };
                a[i] = x;
                *q = Quat::from_array(a);
                return true;
            }
            (MathValue::Color(c), k) => {
                let mut s = c.to_srgba();
                match k {
                    "r" => s.red = x,
                    "g" => s.green = x,
                    "b" => s.blue = x,
                    "a" => s.alpha = x,
                    _ => return false,
                }
                *c = Color::Srgba(s);
                return true;
            }
            _ => None,
        };
        match slot {
            Some(s) => {
                *s = x;
                true
            }
            None => false,
        }
    }

    /// `value.key` for scripts (fields only).
    pub fn index(&self, key: &str) -> Option<f64> {
        self.field(key)
    }

    /// `value.key = x`; errors name the type and field.
    pub fn set_index(&mut self, key: &str, x: f64) -> Result<()> {
        if self.set_field(key, x) {
            Ok(())
        } else {
            Err(Error::runtime(format!(
                "{} has no field '{key}'",
                self.type_name()
            )))
        }
    }
}

impl FromLua for MathValue {
    fn from_lua(v: Value, lua: &mut Lua) -> Result<Self> {
        match MathValue::from_raw(lua, v)? {
            Some(m) => Ok(m),
            None => Err(Error::FromLua {
                from: LuaValue::from_lua(v, lua)?.type_name().to_string(),
                to: "vector".into(),
                message: None,
            }),
        }
    }
}

impl IntoLua for MathValue {
    fn into_lua(self, lua: &mut Lua) -> Result<Value> {
        match self {
            MathValue::Num(x) => x.into_lua(lua),
            MathValue::Vec2(v) => LuaVec2(v).into_lua(lua),
            MathValue::Vec3(v) => LuaVec3(v).into_lua(lua),
            MathValue::Vec4(v) => LuaVec4(v).into_lua(lua),
            MathValue::Quat(v) => LuaQuat(v).into_lua(lua),
            MathValue::Color(v) => LuaColor(v).into_lua(lua),
        }
    }
}

fn op_error(op: &str, a: &MathValue, b: &MathValue) -> Error {
    Error::runtime(format!(
        "attempt to perform arithmetic ({op}) on {} and {}",
        a.type_name(),
        b.type_name()
    ))
}

/// Binary operators on math values.
pub fn binop(op: MetaMethod, a: MathValue, b: MathValue) -> Result<MathValue> {
    use MathValue::*;
    let r = match op {
        MetaMethod::Add => match (a, b) {
            (Vec2(x), Vec2(y)) => Vec2(x + y),
            (Vec3(x), Vec3(y)) => Vec3(x + y),
            (Vec4(x), Vec4(y)) => Vec4(x + y),
            (Quat(x), Quat(y)) => Quat(x + y),
            (Color(x), Color(y)) => Color((x.to_linear() + y.to_linear()).into()),
            _ => return Err(op_error("add", &a, &b)),
        },
        MetaMethod::Sub => match (a, b) {
            (Vec2(x), Vec2(y)) => Vec2(x - y),
            (Vec3(x), Vec3(y)) => Vec3(x - y),
            (Vec4(x), Vec4(y)) => Vec4(x - y),
            (Quat(x), Quat(y)) => Quat(x - y),
            (Color(x), Color(y)) => Color((x.to_linear() - y.to_linear()).into()),
            _ => return Err(op_error("sub", &a, &b)),
        },
        MetaMethod::Mul => match (a, b) {
            (Vec2(x), Vec2(y)) => Vec2(x * y),
            (Vec3(x), Vec3(y)) => Vec3(x * y),
            (Vec4(x), Vec4(y)) => Vec4(x * y),
            (Vec2(x), Num(k)) | (Num(k), Vec2(x)) => Vec2(x * k as f32),
            (Vec3(x), Num(k)) | (Num(k), Vec3(x)) => Vec3(x * k as f32),
            (Vec4(x), Num(k)) | (Num(k), Vec4(x)) => Vec4(x * k as f32),
            (Quat(q), Quat(r)) => Quat(q * r),
            (Quat(q), Vec3(v)) => Vec3(q * v),
            (Quat(q), Num(k)) | (Num(k), Quat(q)) => Quat(q * k as f32),
            (Color(c), Num(k)) | (Num(k), Color(c)) => Color((c.to_linear() * k as f32).into()),
            _ => return Err(op_error("mul", &a, &b)),
        },
        MetaMethod::Div => match (a, b) {
            (Vec2(x), Vec2(y)) => Vec2(x / y),
            (Vec3(x), Vec3(y)) => Vec3(x / y),
            (Vec4(x), Vec4(y)) => Vec4(x / y),
            (Vec2(x), Num(k)) => Vec2(x / k as f32),
            (Vec3(x), Num(k)) => Vec3(x / k as f32),
            (Vec4(x), Num(k)) => Vec4(x / k as f32),
            (Num(k), Vec2(x)) => Vec2(k as f32 / x),
            (Num(k), Vec3(x)) => Vec3(k as f32 / x),
            (Num(k), Vec4(x)) => Vec4(k as f32 / x),
            (Quat(q), Num(k)) => Quat(q / k as f32),
            _ => return Err(op_error("div", &a, &b)),
        },
        _ => return Err(Error::runtime("unsupported operator")),
    };
    Ok(r)
}

fn unm(a: MathValue) -> Result<MathValue> {
    Ok(match a {
        MathValue::Num(x) => MathValue::Num(-x),
        MathValue::Vec2(v) => MathValue::Vec2(-v),
        MathValue::Vec3(v) => MathValue::Vec3(-v),
        MathValue::Vec4(v) => MathValue::Vec4(-v),
        MathValue::Quat(q) => MathValue::Quat(-q),
        MathValue::Color(_) => return Err(Error::runtime("attempt to negate a Color")),
    })
}

fn fmt_f(x: f32) -> String {
    // Short, stable formatting: integers without decimals, others with up to 4.
    if x.fract() == 0.0 && x.abs() < 1e9 {
        format!("{x:.1}")
    } else {
        let s = format!("{x:.4}");
        let s = s.trim_end_matches('0');
        s.to_string()
    }
}

/// `tostring` of a math value.
pub fn to_string(v: &MathValue) -> String {
    match v {
        MathValue::Num(x) => format!("{x}"),
        MathValue::Vec2(v) => format!("Vec2({}, {})", fmt_f(v.x), fmt_f(v.y)),
        MathValue::Vec3(v) => format!("Vec3({}, {}, {})", fmt_f(v.x), fmt_f(v.y), fmt_f(v.z)),
        MathValue::Vec4(v) => format!(
            "Vec4({}, {}, {}, {})",
            fmt_f(v.x),
            fmt_f(v.y),
            fmt_f(v.z),
            fmt_f(v.w)
        ),
        MathValue::Quat(q) => format!(
            "Quat({}, {}, {}, {})",
            fmt_f(q.x),
            fmt_f(q.y),
            fmt_f(q.z),
            fmt_f(q.w)
        ),
        MathValue::Color(c) => {
            let s = c.to_srgba();
            format!(
                "Color({}, {}, {}, {})",
                fmt_f(s.red),
                fmt_f(s.green),
                fmt_f(s.blue),
                fmt_f(s.alpha)
            )
        }
    }
}

fn arg(lua: &mut Lua, args: &[LuaValue], i: usize, what: &str) -> Result<MathValue> {
    let v = args.get(i).cloned().unwrap_or(LuaValue::Nil);
    let raw = v.into_lua(lua)?;
    match MathValue::from_raw(lua, raw)? {
        Some(m) => Ok(m),
        None => Err(Error::runtime(format!(
            "bad argument #{} to '{what}' (vector or number expected)",
            i + 2
        ))),
    }
}

fn num(lua: &mut Lua, args: &[LuaValue], i: usize, what: &str) -> Result<f32> {
    match arg(lua, args, i, what)? {
        MathValue::Num(x) => Ok(x as f32),
        other => Err(Error::runtime(format!(
            "bad argument #{} to '{what}' (number expected, got {})",
            i + 2,
            other.type_name()
        ))),
    }
}

fn same_kind(what: &str, a: &MathValue, b: &MathValue) -> Error {
    Error::runtime(format!(
        "'{what}' expects two values of one type, got {} and {}",
        a.type_name(),
        b.type_name()
    ))
}

/// A math method: `this:name(args...)`.
pub fn call_method(
    lua: &mut Lua,
    name: &str,
    this: MathValue,
    args: &[LuaValue],
) -> Result<Vec<LuaValue>> {
    use MathValue::*;
    let one = |lua: &mut Lua, v: MathValue| -> Result<Vec<LuaValue>> {
        let raw = v.into_lua(lua)?;
        Ok(vec![LuaValue::from_lua(raw, lua)?])
    };
    let numv = |x: f32| Ok(vec![LuaValue::Number(x as f64)]);
    match (name, this) {
        ("length", Vec2(v)) => numv(v.length()),
        ("length", Vec3(v)) => numv(v.length()),
        ("length", Vec4(v)) => numv(v.length()),
        ("length", Quat(q)) => numv(q.length()),
        ("length_squared", Vec2(v)) => numv(v.length_squared()),
        ("length_squared", Vec3(v)) => numv(v.length_squared()),
        ("length_squared", Vec4(v)) => numv(v.length_squared()),
        ("normalize", Vec2(v)) => one(lua, Vec2(v.normalize_or_zero())),
        ("normalize", Vec3(v)) => one(lua, Vec3(v.normalize_or_zero())),
        ("normalize", Vec4(v)) => one(lua, Vec4(v.normalize_or_zero())),
        ("normalize", Quat(q)) => one(lua, Quat(q.normalize())),
        ("dot", a) => match (a, arg(lua, args, 0, "dot")?) {
            (Vec2(x), Vec2(y)) => numv(x.dot(y)),
            (Vec3(x), Vec3(y)) => numv(x.dot(y)),
            (Vec4(x), Vec4(y)) => numv(x.dot(y)),
            (Quat(x), Quat(y)) => numv(x.dot(y)),
            (a, b) => Err(same_kind("dot", &a, &b)),
        },
        ("cross", Vec3(a)) => match arg(lua, args, 0, "cross")? {
            Vec3(b) => one(lua, Vec3(a.cross(b))),
            b => Err(same_kind("cross", &Vec3(a), &b)),
        },
        ("distance", a) => match (a, arg(lua, args, 0, "distance")?) {
            (Vec2(x), Vec2(y)) => numv(x.distance(y)),
            (Vec3(x), Vec3(y)) => numv(x.distance(y)),
            (Vec4(x), Vec4(y)) => numv(x.distance(y)),
            (a, b) => Err(same_kind("distance", &a, &b)),
        },
        ("lerp", a) => {
            let b = arg(lua, args, 0, "lerp")?;
            let t = num(lua, args, 1, "lerp")?;
            match (a, b) {
                (Vec2(x), Vec2(y)) => one(lua, Vec2(x.lerp(y, t))),
                (Vec3(x), Vec3(y)) => one(lua, Vec3(x.lerp(y, t))),
                (Vec4(x), Vec4(y)) => one(lua, Vec4(x.lerp(y, t))),
                (Quat(x), Quat(y)) => one(lua, Quat(x.slerp(y, t))),
                (Color(x), Color(y)) => {
                    let (x, y) = (x.to_linear().to_vec4(), y.to_linear().to_vec4());
                    one(lua, Color(LinearRgba::from_vec4(x.lerp(y, t)).into()))
                }
                (a, b) => Err(same_kind("lerp", &a, &b)),
            }
        }
        ("abs", Vec2(v)) => one(lua, Vec2(v.abs())),
        ("abs", Vec3(v)) => one(lua, Vec3(v.abs())),
        ("abs", Vec4(v)) => one(lua, Vec4(v.abs())),
        ("min", a) | ("max", a) => {
            let b = arg(lua, args, 0, name)?;
            let mx = name == "max";
            match (a, b) {
                (Vec2(x), Vec2(y)) => one(lua, Vec2(if mx { x.max(y) } else { x.min(y) })),
                (Vec3(x), Vec3(y)) => one(lua, Vec3(if mx { x.max(y) } else { x.min(y) })),
                (Vec4(x), Vec4(y)) => one(lua, Vec4(if mx { x.max(y) } else { x.min(y) })),
                (a, b) => Err(same_kind(name, &a, &b)),
            }
        }
        ("clamp_length", a) => {
            let m = num(lua, args, 0, "clamp_length")?;
            match a {
                Vec2(v) => one(lua, Vec2(v.clamp_length_max(m))),
                Vec3(v) => one(lua, Vec3(v.clamp_length_max(m))),
                Vec4(v) => one(lua, Vec4(v.clamp_length_max(m))),
                a => Err(Error::runtime(format!(
                    "{} has no method 'clamp_length'",
                    a.type_name()
                ))),
            }
        }
        ("angle_between", Vec3(a)) => match arg(lua, args, 0, "angle_between")? {
            Vec3(b) => numv(a.angle_between(b)),
            b => Err(same_kind("angle_between", &Vec3(a), &b)),
        },
        ("inverse", Quat(q)) => one(lua, Quat(q.inverse())),
        ("slerp", Quat(a)) => {
            let b = arg(lua, args, 0, "slerp")?;
            let t = num(lua, args, 1, "slerp")?;
            match b {
                Quat(b) => one(lua, Quat(a.slerp(b, t))),
                b => Err(same_kind("slerp", &Quat(a), &b)),
            }
        }
        ("to_euler", Quat(q)) => {
            let (x, y, z) = q.to_euler(EulerRot::XYZ);
            Ok(vec![
                LuaValue::Number(x as f64),
                LuaValue::Number(y as f64),
                LuaValue::Number(z as f64),
            ])
        }
        ("with_alpha", Color(c)) => {
            let a = num(lua, args, 0, "with_alpha")?;
            one(lua, Color(c.with_alpha(a)))
        }
        ("copy", v) => one(lua, v),
        ("unpack", v) => {
            let xs: Vec<f32> = match v {
                Num(x) => vec![x as f32],
                Vec2(v) => v.to_array().to_vec(),
                Vec3(v) => v.to_array().to_vec(),
                Vec4(v) => v.to_array().to_vec(),
                Quat(q) => q.to_array().to_vec(),
                Color(c) => c.to_srgba().to_f32_array().to_vec(),
            };
            Ok(xs.into_iter().map(|x| LuaValue::Number(x as f64)).collect())
        }
        (_, v) => Err(Error::runtime(format!(
            "{} has no field or method '{name}'",
            v.type_name()
        ))),
    }
}

/// Names of the methods of each math type.
pub const METHODS: &[&str] = &[
    "length",
    "length_squared",
    "normalize",
    "dot",
    "cross",
    "distance",
    "lerp",
    "abs",
    "min",
    "max",
    "clamp_length",
    "angle_between",
    "inverse",
    "slerp",
    "to_euler",
    "with_alpha",
    "copy",
    "unpack",
];

fn add_math_methods<T: UserData + Copy + Into<MathValue>>(
    methods: &mut impl UserDataMethods<T>,
    lua_name: &'static str,
) {
    for &name in METHODS {
        methods.add_function(
            name,
            move |lua, (this, Variadic(rest)): (MathValue, Variadic<LuaValue>)| {
                call_method(lua, name, this, &rest).map(Variadic)
            },
        );
    }
    methods.add_meta_function(MetaMethod::Add, |_, (a, b): (MathValue, MathValue)| {
        binop(MetaMethod::Add, a, b)
    });
    methods.add_meta_function(MetaMethod::Sub, |_, (a, b): (MathValue, MathValue)| {
        binop(MetaMethod::Sub, a, b)
    });
    methods.add_meta_function(MetaMethod::Mul, |_, (a, b): (MathValue, MathValue)| {
        binop(MetaMethod::Mul, a, b)
    });
    methods.add_meta_function(MetaMethod::Div, |_, (a, b): (MathValue, MathValue)| {
        binop(MetaMethod::Div, a, b)
    });
    methods.add_meta_function(MetaMethod::Unm, |_, (a, _b): (MathValue, LuaValue)| unm(a));
    methods.add_meta_function(MetaMethod::Eq, |_, (a, b): (MathValue, MathValue)| {
        Ok(a == b)
    });
    methods.add_meta_method(MetaMethod::ToString, |_, v: &T, ()| {
        Ok(to_string(&(*v).into()))
    });
    methods.add_meta_method(MetaMethod::Index, move |_, v: &T, key: String| {
        let m: MathValue = (*v).into();
        match m.index(&key) {
            Some(x) => Ok(x),
            None => Err(Error::runtime(format!("{lua_name} has no field '{key}'"))),
        }
    });
}

macro_rules! into_math {
    ($w:ident, $variant:ident) => {
        impl From<$w> for MathValue {
            fn from(v: $w) -> MathValue {
                MathValue::$variant(v.0)
            }
        }
    };
}
into_math!(LuaVec2, Vec2);
into_math!(LuaVec3, Vec3);
into_math!(LuaVec4, Vec4);
into_math!(LuaQuat, Quat);
into_math!(LuaColor, Color);

/// Builds the global constructor tables and freezes them.
pub fn install(lua: &mut Lua) -> Result<()> {
    let f = |x: Option<f32>| x.unwrap_or(0.0);

    // Vec2
    let t = lua.create_table()?;
    let new = lua.create_function(move |_, (x, y): (Option<f32>, Option<f32>)| {
        Ok(LuaVec2(Vec2::new(f(x), f(y))))
    })?;
    t.raw_set(lua, "new", new)?;
    let splat = lua.create_function(|_, v: f32| Ok(LuaVec2(Vec2::splat(v))))?;
    t.raw_set(lua, "splat", splat)?;
    for (n, v) in [
        ("ZERO", Vec2::ZERO),
        ("ONE", Vec2::ONE),
        ("X", Vec2::X),
        ("Y", Vec2::Y),
    ] {
        // Constants are handed out as fresh copies through a getter table would be nicer;
        // scripts mutating a constant only mutate that userdata, so copy per read instead.
        let getter = lua.create_function(move |_, ()| Ok(LuaVec2(v)))?;
        t.raw_set(lua, n, getter)?;
    }
    finish(lua, t, "Vec2")?;

    // Vec3
    let t = lua.create_table()?;
    let new = lua.create_function(
        move |_, (x, y, z): (Option<f32>, Option<f32>, Option<f32>)| {
            Ok(LuaVec3(Vec3::new(f(x), f(y), f(z))))
        },
    )?;
    t.raw_set(lua, "new", new)?;
    let splat = lua.create_function(|_, v: f32| Ok(LuaVec3(Vec3::splat(v))))?;
    t.raw_set(lua, "splat", splat)?;
    for (n, v) in [
        ("ZERO", Vec3::ZERO),
        ("ONE", Vec3::ONE),
        ("X", Vec3::X),
        ("Y", Vec3::Y),
        ("Z", Vec3::Z),
        ("NEG_X", Vec3::NEG_X),
        ("NEG_Y", Vec3::NEG_Y),
        ("NEG_Z", Vec3::NEG_Z),
    ] {
        let getter = lua.create_function(move |_, ()| Ok(LuaVec3(v)))?;
        t.raw_set(lua, n, getter)?;
    }
    finish(lua, t, "Vec3")?;

    // Vec4
    let t = lua.create_table()?;
    let new = lua.create_function(
        move |_, (x, y, z, w): (Option<f32>, Option<f32>, Option<f32>, Option<f32>)| {
            Ok(LuaVec4(Vec4::new(f(x), f(y), f(z), f(w))))
        },
    )?;
    t.raw_set(lua, "new", new)?;
    for (n, v) in [("ZERO", Vec4::ZERO), ("ONE", Vec4::ONE)] {
        let getter = lua.create_function(move |_, ()| Ok(LuaVec4(v)))?;
        t.raw_set(lua, n, getter)?;
    }
    finish(lua, t, "Vec4")?;

    // Quat
    let t = lua.create_table()?;
    let fx = lua.create_function(|_, a: f32| Ok(LuaQuat(Quat::from_rotation_x(a))))?;
    t.raw_set(lua, "from_rotation_x", fx)?;
    let fy = lua.create_function(|_, a: f32| Ok(LuaQuat(Quat::from_rotation_y(a))))?;
    t.raw_set(lua, "from_rotation_y", fy)?;
    let fz = lua.create_function(|_, a: f32| Ok(LuaQuat(Quat::from_rotation_z(a))))?;
    t.raw_set(lua, "from_rotation_z", fz)?;
    let aa = lua.create_function(|_, (axis, a): (MathValue, f32)| match axis {
        MathValue::Vec3(v) => Ok(LuaQuat(Quat::from_axis_angle(v.normalize_or_zero(), a))),
        other => Err(Error::runtime(format!(
            "bad argument #1 to 'from_axis_angle' (Vec3 expected, got {})",
            other.type_name()
        ))),
    })?;
    t.raw_set(lua, "from_axis_angle", aa)?;
    let eu = lua.create_function(|_, (x, y, z): (f32, f32, f32)| {
        Ok(LuaQuat(Quat::from_euler(EulerRot::XYZ, x, y, z)))
    })?;
    t.raw_set(lua, "from_euler", eu)?;
    let new = lua.create_function(|_, (x, y, z, w): (f32, f32, f32, f32)| {
        Ok(LuaQuat(Quat::from_xyzw(x, y, z, w)))
    })?;
    t.raw_set(lua, "new", new)?;
    let id = lua.create_function(|_, ()| Ok(LuaQuat(Quat::IDENTITY)))?;
    t.raw_set(lua, "IDENTITY", id)?;
    finish(lua, t, "Quat")?;

    // Color
    let t = lua.create_table()?;
    let rgb = lua.create_function(|_, (r, g, b, a): (f32, f32, f32, Option<f32>)| {
        Ok(LuaColor(Color::srgba(r, g, b, a.unwrap_or(1.0))))
    })?;
    t.raw_set(lua, "rgb", rgb.clone())?;
    t.raw_set(lua, "rgba", rgb)?;
    let lin = lua.create_function(|_, (r, g, b, a): (f32, f32, f32, Option<f32>)| {
        Ok(LuaColor(Color::linear_rgba(r, g, b, a.unwrap_or(1.0))))
    })?;
    t.raw_set(lua, "linear", lin)?;
    let hsl =
        lua.create_function(|_, (h, s, l): (f32, f32, f32)| Ok(LuaColor(Color::hsl(h, s, l))))?;
    t.raw_set(lua, "hsl", hsl)?;
    let hex = lua.create_function(|_, s: String| match Srgba::hex(&s) {
        Ok(c) => Ok(LuaColor(Color::Srgba(c))),
        Err(e) => Err(Error::runtime(format!("invalid hex color '{s}': {e}"))),
    })?;
    t.raw_set(lua, "hex", hex)?;
    for (n, c) in [
        ("WHITE", Color::WHITE),
        ("BLACK", Color::BLACK),
        ("NONE", Color::NONE),
        ("RED", Color::srgb(1.0, 0.0, 0.0)),
        ("GREEN", Color::srgb(0.0, 1.0, 0.0)),
        ("BLUE", Color::srgb(0.0, 0.0, 1.0)),
    ] {
        let getter = lua.create_function(move |_, ()| Ok(LuaColor(c)))?;
        t.raw_set(lua, n, getter)?;
    }
    finish(lua, t, "Color")?;
    Ok(())
}

/// Puts the methods in the constructor table, makes constants readable as plain fields
/// (`Vec3.ZERO` evaluates the getter), freezes it and publishes it as a global.
fn finish(lua: &mut Lua, t: Table, name: &str) -> Result<()> {
    for &m in METHODS {
        let f = lua.create_function(
            move |lua, (this, Variadic(rest)): (MathValue, Variadic<LuaValue>)| {
                call_method(lua, m, this, &rest).map(Variadic)
            },
        )?;
        t.raw_set(lua, m, f)?;
    }
    // Constants: stored as getters under upper-case names; a metatable makes
    // `Vec3.ZERO` return a fresh copy each time.
    let consts = lua.create_table()?;
    let pairs: Vec<(String, LuaValue)> = t.pairs(lua)?;
    for (k, v) in pairs {
        if k.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
            consts.raw_set(lua, k.as_str(), v)?;
            t.raw_set(lua, k.as_str(), LuaValue::Nil)?;
        }
    }
    let mt = lua.create_table()?;
    let index = lua.create_function(move |lua, (_t, key): (LuaValue, String)| {
        let g: Option<selenite::api::Function> = consts.raw_get(lua, key.as_str())?;
        match g {
            Some(g) => g.call::<_, LuaValue>(lua, ()),
            None => Ok(LuaValue::Nil),
        }
    })?;
    mt.raw_set(lua, "__index", index)?;
    t.set_metatable(lua, Some(&mt))?;
    lua.freeze(&mt)?;
    lua.freeze(&t)?;
    lua.set_global(name, t)
}
