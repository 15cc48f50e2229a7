//! The standard library, one module per library table, plus the byte-level engines
//! behind `string` (patterns, `format`, `pack`), which know nothing of the VM.

pub mod base;
pub mod coroutine;
pub mod format;
pub mod pack;
pub mod pattern;

use crate::state::Vm;

/// Opens the libraries of a trusted script host (the CLI): everything, including the
/// file-reading functions of the base library.
pub fn open_trusted(vm: &mut Vm) {
    base::open(vm, true);
    coroutine::open(vm);
}

/// Opens the libraries safe for untrusted scripts.
pub fn open_safe(vm: &mut Vm) {
    base::open(vm, false);
    coroutine::open(vm);
}
