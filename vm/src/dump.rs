//! Binary chunks: `string.dump` output and its loader (`lundump.c`/`ldump.c` in spirit,
//! in Selenite's own format).
//!
//! A binary chunk is only loaded when the host allows it ([`crate::state::Vm::allow_binary_chunks`]):
//! every prototype read is checked by [`crate::function::verify`] before it can run, so
//! malformed input is a Lua error ("bad binary format (...)"), never a panic or undefined
//! behaviour. Parsing never allocates more than the remaining input can describe.
//!
//! # Format
//!
//! All integers are little-endian; `varint` is unsigned LEB128 (at most 10 bytes, the value
//! must fit in the field it is read into); a `string` is a varint length followed by that
//! many bytes.
//!
//! ```text
//! header:   "\x1bLua" "Selenite" version:u8 (=FORMAT_VERSION)
//!           sizeof(Instruction):u8 (=4) sizeof(integer):u8 (=8) sizeof(float):u8 (=8)
//!           0x5678:i64 370.5:f64                      (endianness and float format check)
//!           nupvalues:u8                              (of the main function)
//! function: has_source:u8 [source:string]             (0: the parent's, "=?" for main)
//!           line_defined:varint last_line_defined:varint
//!           num_params:u8 is_vararg:u8 max_stack_size:u8
//!           ncode:varint    code:u32 * ncode
//!           nconst:varint   (tag:u8 payload) * nconst  (0 nil, 1 false, 2 true,
//!                                                      3 integer:i64, 4 float:f64, 5 string)
//!           nupval:varint   (in_stack:u8 index:u8 kind:u8) * nupval
//!           nproto:varint   function * nproto
//!           nline:varint    line:varint * nline       (0 or ncode)
//!           nlocvar:varint  (name:string start_pc:varint end_pc:varint) * nlocvar
//!           nupname:varint  name:string * nupname     (0 or nupval)
//! ```
//!
//! `strip` drops the source, line info, local variable and upvalue names.

use crate::bytecode::{self, Constant, LocVar, UpvalDesc};
use crate::function::Proto;
use crate::value::Value;

/// `"\x1bLua"`: the first byte is how `load` tells a binary chunk from source text.
pub const SIGNATURE: &[u8] = b"\x1bLua";
/// Identifies Selenite's format among other `\x1bLua` formats (PUC's byte code...).
pub const TAG: &[u8] = b"Selenite";
/// Bumped on every incompatible change of the format or of the instruction set.
pub const FORMAT_VERSION: u8 = 1;
const CHECK_INT: i64 = 0x5678;
const CHECK_FLOAT: f64 = 370.5;
/// Nesting limit for prototypes (the parser's limit on nested functions is far lower):
/// bounds the loader's recursion on crafted input.
const MAX_NESTING: u32 = 200;

/// Serialises a prototype tree (`string.dump`).
pub fn dump(p: &Proto, strip: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + p.code.len() * 4);
    out.extend_from_slice(SIGNATURE);
    out.extend_from_slice(TAG);
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&[4, 8, 8]);
    out.extend_from_slice(&CHECK_INT.to_le_bytes());
    out.extend_from_slice(&CHECK_FLOAT.to_le_bytes());
    out.push(p.upvalues.len().min(255) as u8);
    dump_function(&mut out, p, None, strip);
    out
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_bytes(out: &mut Vec<u8>, s: &[u8]) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s);
}

fn dump_function(out: &mut Vec<u8>, p: &Proto, parent_source: Option<&str>, strip: bool) {
    if strip || parent_source == Some(&*p.source) {
        out.push(0);
    } else {
        out.push(1);
        put_bytes(out, p.source.as_bytes());
    }
    put_varint(out, p.line_defined as u64);
    put_varint(out, p.last_line_defined as u64);
    out.extend_from_slice(&[p.num_params, p.is_vararg as u8, p.max_stack_size]);
    put_varint(out, p.code.len() as u64);
    for &i in p.code.iter() {
        out.extend_from_slice(&i.to_le_bytes());
    }
    put_varint(out, p.constants.len() as u64);
    for k in p.constants.iter() {
        match *k {
            Value::Bool(false) => out.push(1),
            Value::Bool(true) => out.push(2),
            Value::Int(n) => {
                out.push(3);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Value::Float(f) => {
                out.push(4);
                out.extend_from_slice(&f.to_le_bytes());
            }
            Value::Str(s) => {
                out.push(5);
                put_bytes(out, s.as_bytes());
            }
            // Only the above come out of the compiler; anything else reads back as nil.
            _ => out.push(0),
        }
    }
    put_varint(out, p.upvalues.len() as u64);
    for u in p.upvalues.iter() {
        out.extend_from_slice(&[u.in_stack as u8, u.index, u.kind]);
    }
    put_varint(out, p.protos.len() as u64);
    let source = if strip { None } else { Some(&*p.source) };
    for c in p.protos.iter() {
        dump_function(out, c, source, strip);
    }
    if strip {
        out.extend_from_slice(&[0, 0, 0]);
        return;
    }
    put_varint(out, p.line_info.len() as u64);
    for &l in p.line_info.iter() {
        put_varint(out, l as u64);
    }
    put_varint(out, p.loc_vars.len() as u64);
    for lv in p.loc_vars.iter() {
        put_bytes(out, lv.name.as_bytes());
        put_varint(out, lv.start_pc as u64);
        put_varint(out, lv.end_pc as u64);
    }
    put_varint(out, p.upvalues.len() as u64);
    for u in p.upvalues.iter() {
        put_bytes(out, u.name.as_bytes());
    }
}

/// Parses a binary chunk into a prototype tree, not yet verified (see
/// [`crate::state::Vm::load_unverified`]). `Err` is the reason for "bad binary format
/// (reason)".
pub fn undump(data: &[u8]) -> Result<bytecode::Proto, String> {
    let mut r = Reader { data, pos: 0 };
    r.header()?;
    let nupvalues = r.u8()?;
    let proto = r.function(None, 0)?;
    if r.pos != data.len() {
        return Err("extra bytes after the chunk".into());
    }
    if proto.upvalues.len() != nupvalues as usize {
        return Err("corrupted chunk".into());
    }
    Ok(proto)
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

const TRUNCATED: &str = "truncated chunk";

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.remaining() {
            return Err(TRUNCATED.into());
        }
        let s = self.data.get(self.pos..self.pos + n).ok_or(TRUNCATED)?;
        self.pos += n;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, String> {
        let b = *self.data.get(self.pos).ok_or(TRUNCATED)?;
        self.pos += 1;
        Ok(b)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    fn bool(&mut self) -> Result<bool, String> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err("corrupted chunk".into()),
        }
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v: u64 = 0;
        for shift in (0..70).step_by(7) {
            let b = self.u8()?;
            let bits = (b & 0x7f) as u64;
            if shift == 63 && bits > 1 {
                return Err("integer overflow".into());
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("integer overflow".into())
    }

    fn u32(&mut self) -> Result<u32, String> {
        u32::try_from(self.varint()?).map_err(|_| "integer overflow".to_string())
    }

    /// A count of items each taking at least `min_size` bytes: checked against the
    /// remaining input before anything is allocated for them.
    fn count(&mut self, min_size: usize) -> Result<usize, String> {
        let n = self.varint()?;
        match usize::try_from(n) {
            Ok(n) if n.saturating_mul(min_size) <= self.remaining() => Ok(n),
            _ => Err(TRUNCATED.into()),
        }
    }

    fn bytes(&mut self) -> Result<&'a [u8], String> {
        let n = self.count(1)?;
        self.take(n)
    }

    fn string(&mut self) -> Result<String, String> {
        let b = self.bytes()?;
        String::from_utf8(b.to_vec()).map_err(|_| "corrupted chunk".to_string())
    }

    fn header(&mut self) -> Result<(), String> {
        if self.take(SIGNATURE.len())? != SIGNATURE {
            return Err("not a binary chunk".into());
        }
        if self.take(TAG.len())? != TAG {
            return Err("not a Selenite chunk".into());
        }
        if self.u8()? != FORMAT_VERSION {
            return Err("version mismatch".into());
        }
        if self.array::<3>()? != [4, 8, 8] {
            return Err("format mismatch".into());
        }
        if i64::from_le_bytes(self.array()?) != CHECK_INT {
            return Err("integer format mismatch".into());
        }
        if f64::from_le_bytes(self.array()?) != CHECK_FLOAT {
            return Err("float format mismatch".into());
        }
        Ok(())
    }

    fn function(
        &mut self,
        parent_source: Option<&str>,
        depth: u32,
    ) -> Result<bytecode::Proto, String> {
        if depth > MAX_NESTING {
            return Err("functions nested too deeply".into());
        }
        let source = if self.bool()? {
            self.string()?
        } else {
            parent_source.unwrap_or("=?").to_string()
        };
        let line_defined = self.u32()?;
        let last_line_defined = self.u32()?;
        let [num_params, is_vararg, max_stack_size] = self.array::<3>()?;
        let is_vararg = match is_vararg {
            0 => false,
            1 => true,
            _ => return Err("corrupted chunk".into()),
        };
        let n = self.count(4)?;
        let mut code = Vec::with_capacity(n);
        for _ in 0..n {
            code.push(u32::from_le_bytes(self.array()?));
        }
        let n = self.count(1)?;
        let mut constants = Vec::with_capacity(n);
        for _ in 0..n {
            constants.push(match self.u8()? {
                0 => Constant::Nil,
                1 => Constant::Bool(false),
                2 => Constant::Bool(true),
                3 => Constant::Int(i64::from_le_bytes(self.array()?)),
                4 => Constant::Float(f64::from_le_bytes(self.array()?)),
                5 => Constant::Str(self.bytes()?.to_vec()),
                _ => return Err("corrupted chunk (bad constant tag)".into()),
            });
        }
        let n = self.count(3)?;
        let mut upvalues = Vec::with_capacity(n);
        for _ in 0..n {
            let [in_stack, index, kind] = self.array::<3>()?;
            if in_stack > 1 || kind > 3 {
                return Err("corrupted chunk (bad upvalue)".into());
            }
            upvalues.push(UpvalDesc {
                name: String::new(),
                in_stack: in_stack == 1,
                index,
                kind,
            });
        }
        // A function takes at least 13 bytes (its fixed fields and counts).
        let n = self.count(13)?;
        let mut protos = Vec::with_capacity(n);
        for _ in 0..n {
            protos.push(self.function(Some(&source), depth + 1)?);
        }
        let n = self.count(1)?;
        if n != 0 && n != code.len() {
            return Err("corrupted chunk (bad line info)".into());
        }
        let mut line_info = Vec::with_capacity(n);
        for _ in 0..n {
            line_info.push(self.u32()?);
        }
        let n = self.count(3)?;
        let mut loc_vars = Vec::with_capacity(n);
        for _ in 0..n {
            let name = self.string()?;
            let start_pc = self.u32()?;
            let end_pc = self.u32()?;
            loc_vars.push(LocVar {
                name,
                start_pc,
                end_pc,
            });
        }
        let n = self.count(1)?;
        if n != 0 && n != upvalues.len() {
            return Err("corrupted chunk (bad upvalue names)".into());
        }
        for u in upvalues.iter_mut().take(n) {
            u.name = self.string()?;
        }
        Ok(bytecode::Proto {
            source,
            line_defined,
            last_line_defined,
            num_params,
            is_vararg,
            max_stack_size,
            code,
            line_info,
            constants,
            upvalues,
            protos,
            loc_vars,
        })
    }
}
