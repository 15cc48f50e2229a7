//! The standard library, one module per library table, plus the VM-independent engines
//! of the string library (patterns, format, pack).

pub mod base;
pub mod coroutine;
pub mod debug;
pub mod format;
pub mod io;
pub mod limits;
pub mod math;
pub mod os;
pub mod os_trusted;
pub mod pack;
pub mod package;
pub mod pattern;
pub mod string;
pub mod table;
pub mod utf8;
pub mod warn;

use crate::state::Vm;

/// Opens the libraries of a trusted script host (the CLI): everything, including the
/// file-reading functions of the base library, `warn`, `io`, the rest of `os`, `debug`,
/// and `package`/`require` (last: it records the other libraries in `package.loaded`).
pub fn open_trusted(vm: &mut Vm) {
    // Trusted hosts may load `string.dump` output (verified, see `crate::dump`).
    vm.allow_binary_chunks = true;
    base::open(vm, true);
    open_common(vm);
    warn::open(vm);
    io::open(vm);
    os_trusted::open(vm);
    debug::open(vm);
    package::open(vm);
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
