//! The standard library, one module per library table, plus the VM-independent engines
//! of the string library (patterns, format, pack).

pub mod base;
pub mod coroutine;
pub mod format;
pub mod limits;
pub mod math;
pub mod os;
pub mod pack;
pub mod pattern;
pub mod string;
pub mod table;
pub mod utf8;

use crate::state::Vm;

/// Opens the libraries of a trusted script host (the CLI): everything, including the
/// file-reading functions of the base library.
pub fn open_trusted(vm: &mut Vm) {
    base::open(vm, true);
    open_common(vm);
}

/// Opens the libraries safe for untrusted scripts.
pub fn open_safe(vm: &mut Vm) {
    base::open(vm, false);
    open_common(vm);
}

fn open_common(vm: &mut Vm) {
    coroutine::open(vm);
    table::open(vm);
    math::open(vm);
    string::open(vm);
    utf8::open(vm);
    os::open(vm);
}
