//! Disassembler: prints a [`crate::bytecode::Proto`] as a listing in the style of
//! `luac5.4 -l -l` (PUC's `luac.c`).
//!
//! Differences from luac: function addresses (`at 0x...`) are replaced by stable ids
//! (`F0`, `F1`, ... in the order functions are listed), used both in headers and in the
//! `CLOSURE` comments.

use std::fmt::Write;

use crate::bytecode::{
    get_a, get_ax, get_b, get_bx, get_c, get_k, get_op, get_sb, get_sbx, get_sc, get_sj, Constant,
    OpCode, Proto, TagMethod, MAXARG_C,
};

/// Returns the bytecode listing of `proto` and its nested functions, in the style of `luac -l -l`.
pub fn disassemble(proto: &Proto) -> String {
    let mut out = String::new();
    let mut next_id = 0usize;
    print_function(&mut out, proto, &mut next_id);
    out
}

fn print_function(out: &mut String, f: &Proto, next_id: &mut usize) {
    let id = *next_id;
    *next_id += 1;
    // children get ids in listing order: compute them up front for CLOSURE comments
    let mut child_ids = Vec::with_capacity(f.protos.len());
    let mut n = *next_id;
    for p in &f.protos {
        child_ids.push(n);
        n += count_functions(p);
    }
    print_header(out, f, id);
    print_code(out, f, &child_ids);
    print_debug(out, f, id);
    for p in &f.protos {
        print_function(out, p, next_id);
    }
}

fn count_functions(f: &Proto) -> usize {
    1 + f.protos.iter().map(count_functions).sum::<usize>()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn print_header(out: &mut String, f: &Proto, id: usize) {
    let s = &f.source;
    let src = if let Some(rest) = s.strip_prefix('@').or_else(|| s.strip_prefix('=')) {
        rest
    } else if s.starts_with('\x1b') {
        "(bstring)"
    } else {
        "(string)"
    };
    let n = f.code.len();
    let _ = writeln!(
        out,
        "\n{} <{}:{},{}> ({} instruction{} at F{})",
        if f.line_defined == 0 {
            "main"
        } else {
            "function"
        },
        src,
        f.line_defined,
        f.last_line_defined,
        n,
        plural(n),
        id
    );
    let np = f.num_params as usize;
    let _ = write!(
        out,
        "{}{} param{}, {} slot{}, {} upvalue{}, ",
        np,
        if f.is_vararg { "+" } else { "" },
        plural(np),
        f.max_stack_size,
        plural(f.max_stack_size as usize),
        f.upvalues.len(),
        plural(f.upvalues.len())
    );
    let _ = writeln!(
        out,
        "{} local{}, {} constant{}, {} function{}",
        f.loc_vars.len(),
        plural(f.loc_vars.len()),
        f.constants.len(),
        plural(f.constants.len()),
        f.protos.len(),
        plural(f.protos.len())
    );
}

/// A constant as luac prints it.
pub fn constant_to_string(c: &Constant) -> String {
    match c {
        Constant::Nil => "nil".to_string(),
        Constant::Bool(b) => b.to_string(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) => {
            let s = fmt_g14(*f);
            if s.chars().all(|c| c == '-' || c.is_ascii_digit()) {
                format!("{s}.0")
            } else {
                s
            }
        }
        Constant::Str(s) => quote_string(s),
    }
}

fn quote_string(s: &[u8]) -> String {
    let mut out = String::from("\"");
    for &c in s {
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x0b => out.push_str("\\v"),
            c if (0x20..0x7f).contains(&c) => out.push(c as char),
            c => {
                let _ = write!(out, "\\{c:03}");
            }
        }
    }
    out.push('"');
    out
}

/// C's `printf("%.14g", f)`.
pub fn fmt_g14(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    const P: i32 = 14;
    // exponent after rounding to P significant digits
    let e_str = format!("{:.*e}", (P - 1) as usize, f);
    let (mant, exp) = e_str.split_once('e').unwrap_or((&e_str, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..P).contains(&exp) {
        let mant = strip_zeros(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (P - 1 - exp).max(0) as usize;
        strip_zeros(&format!("{f:.decimals$}")).to_string()
    }
}

fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

fn konst(f: &Proto, i: u32) -> String {
    match f.constants.get(i as usize) {
        Some(c) => constant_to_string(c),
        None => format!("?{i}"),
    }
}

fn upvalname(f: &Proto, i: u32) -> String {
    f.upvalues
        .get(i as usize)
        .map_or_else(|| "-".to_string(), |u| u.name.clone())
}

fn event_name(c: u32) -> &'static str {
    TagMethod::from_u32(c).map_or("?", |t| t.name())
}

fn print_code(out: &mut String, f: &Proto, child_ids: &[usize]) {
    let code = &f.code;
    for (pc, &i) in code.iter().enumerate() {
        let op = get_op(i);
        let a = get_a(i);
        let b = get_b(i);
        let c = get_c(i);
        let ax = get_ax(i);
        let bx = get_bx(i);
        let sb = get_sb(i);
        let sc = get_sc(i);
        let sbx = get_sbx(i);
        let isk = get_k(i);
        let kflag = if isk { "k" } else { "" };
        let extra = code.get(pc + 1).map_or(0, |&n| get_ax(n));
        let extrac = (extra as u64) * (MAXARG_C as u64 + 1);
        let line = f.line_info.get(pc).copied().unwrap_or(0);
        let _ = write!(out, "\t{}\t", pc + 1);
        if line > 0 {
            let _ = write!(out, "[{line}]\t");
        } else {
            out.push_str("[-]\t");
        }
        let _ = write!(out, "{:<9}\t", format!("{op}"));
        let s: String = match op {
            OpCode::Move => format!("{a} {b}"),
            OpCode::LoadI | OpCode::LoadF => format!("{a} {sbx}"),
            OpCode::LoadK => format!("{a} {bx}\t; {}", konst(f, bx)),
            OpCode::LoadKX => format!("{a}\t; {}", konst(f, extra)),
            OpCode::LoadFalse | OpCode::LFalseSkip | OpCode::LoadTrue => format!("{a}"),
            OpCode::LoadNil => format!("{a} {b}\t; {} out", b + 1),
            OpCode::GetUpval | OpCode::SetUpval => format!("{a} {b}\t; {}", upvalname(f, b)),
            OpCode::GetTabUp => format!("{a} {b} {c}\t; {} {}", upvalname(f, b), konst(f, c)),
            OpCode::GetTable | OpCode::GetI => format!("{a} {b} {c}"),
            OpCode::GetField => format!("{a} {b} {c}\t; {}", konst(f, c)),
            OpCode::SetTabUp => {
                let mut s = format!("{a} {b} {c}{kflag}\t; {} {}", upvalname(f, a), konst(f, b));
                if isk {
                    let _ = write!(s, " {}", konst(f, c));
                }
                s
            }
            OpCode::SetTable | OpCode::SetI | OpCode::SelfOp => {
                let mut s = format!("{a} {b} {c}{kflag}");
                if isk {
                    let _ = write!(s, "\t; {}", konst(f, c));
                }
                s
            }
            OpCode::SetField => {
                let mut s = format!("{a} {b} {c}{kflag}\t; {}", konst(f, b));
                if isk {
                    let _ = write!(s, " {}", konst(f, c));
                }
                s
            }
            OpCode::NewTable => format!("{a} {b} {c}\t; {}", c as u64 + extrac),
            OpCode::AddI | OpCode::ShrI | OpCode::ShlI => format!("{a} {b} {sc}"),
            OpCode::AddK
            | OpCode::SubK
            | OpCode::MulK
            | OpCode::ModK
            | OpCode::PowK
            | OpCode::DivK
            | OpCode::IDivK
            | OpCode::BAndK
            | OpCode::BOrK
            | OpCode::BXorK => format!("{a} {b} {c}\t; {}", konst(f, c)),
            OpCode::Add
            | OpCode::Sub
            | OpCode::Mul
            | OpCode::Mod
            | OpCode::Pow
            | OpCode::Div
            | OpCode::IDiv
            | OpCode::BAnd
            | OpCode::BOr
            | OpCode::BXor
            | OpCode::Shl
            | OpCode::Shr => format!("{a} {b} {c}"),
            OpCode::MmBin => format!("{a} {b} {c}\t; {}", event_name(c)),
            OpCode::MmBinI => format!(
                "{a} {sb} {c} {}\t; {}{}",
                isk as u8,
                event_name(c),
                if isk { " flip" } else { "" }
            ),
            OpCode::MmBinK => format!(
                "{a} {b} {c} {}\t; {} {}{}",
                isk as u8,
                event_name(c),
                konst(f, b),
                if isk { " flip" } else { "" }
            ),
            OpCode::Unm | OpCode::BNot | OpCode::Not | OpCode::Len | OpCode::Concat => {
                format!("{a} {b}")
            }
            OpCode::Close | OpCode::Tbc => format!("{a}"),
            OpCode::Jmp => {
                let sj = get_sj(i);
                format!("{sj}\t; to {}", sj as i64 + pc as i64 + 2)
            }
            OpCode::Eq | OpCode::Lt | OpCode::Le => format!("{a} {b} {}", isk as u8),
            OpCode::EqK => format!("{a} {b} {}\t; {}", isk as u8, konst(f, b)),
            OpCode::EqI | OpCode::LtI | OpCode::LeI | OpCode::GtI | OpCode::GeI => {
                format!("{a} {sb} {}", isk as u8)
            }
            OpCode::Test => format!("{a} {}", isk as u8),
            OpCode::TestSet => format!("{a} {b} {}", isk as u8),
            OpCode::Call => {
                let ins = if b == 0 {
                    "all in ".to_string()
                } else {
                    format!("{} in ", b - 1)
                };
                let outs = if c == 0 {
                    "all out".to_string()
                } else {
                    format!("{} out", c - 1)
                };
                format!("{a} {b} {c}\t; {ins}{outs}")
            }
            OpCode::TailCall => format!("{a} {b} {c}{kflag}\t; {} in", b as i64 - 1),
            OpCode::Return => {
                let outs = if b == 0 {
                    "all out".to_string()
                } else {
                    format!("{} out", b - 1)
                };
                format!("{a} {b} {c}{kflag}\t; {outs}")
            }
            OpCode::Return0 => String::new(),
            OpCode::Return1 => format!("{a}"),
            OpCode::ForLoop | OpCode::TForLoop => {
                format!("{a} {bx}\t; to {}", pc as i64 - bx as i64 + 2)
            }
            OpCode::ForPrep => format!("{a} {bx}\t; exit to {}", pc as i64 + bx as i64 + 3),
            OpCode::TForPrep => format!("{a} {bx}\t; to {}", pc as i64 + bx as i64 + 2),
            OpCode::TForCall => format!("{a} {c}"),
            OpCode::SetList => {
                let mut s = format!("{a} {b} {c}");
                if isk {
                    let _ = write!(s, "\t; {}", c as u64 + extrac);
                }
                s
            }
            OpCode::Closure => {
                let id = child_ids
                    .get(bx as usize)
                    .map_or_else(|| "?".to_string(), |n| format!("F{n}"));
                format!("{a} {bx}\t; {id}")
            }
            OpCode::Vararg => {
                let outs = if c == 0 {
                    "all out".to_string()
                } else {
                    format!("{} out", c - 1)
                };
                format!("{a} {c}\t; {outs}")
            }
            OpCode::VarargPrep => format!("{a}"),
            OpCode::ExtraArg => format!("{ax}"),
        };
        out.push_str(&s);
        out.push('\n');
    }
}

fn print_debug(out: &mut String, f: &Proto, id: usize) {
    let _ = writeln!(out, "constants ({}) for F{}:", f.constants.len(), id);
    for (i, c) in f.constants.iter().enumerate() {
        let t = match c {
            Constant::Nil => "N",
            Constant::Bool(_) => "B",
            Constant::Float(_) => "F",
            Constant::Int(_) => "I",
            Constant::Str(_) => "S",
        };
        let _ = writeln!(out, "\t{}\t{}\t{}", i, t, constant_to_string(c));
    }
    let _ = writeln!(out, "locals ({}) for F{}:", f.loc_vars.len(), id);
    for (i, l) in f.loc_vars.iter().enumerate() {
        let _ = writeln!(
            out,
            "\t{}\t{}\t{}\t{}",
            i,
            l.name,
            l.start_pc + 1,
            l.end_pc + 1
        );
    }
    let _ = writeln!(out, "upvalues ({}) for F{}:", f.upvalues.len(), id);
    for (i, u) in f.upvalues.iter().enumerate() {
        let _ = writeln!(
            out,
            "\t{}\t{}\t{}\t{}",
            i, u.name, u.in_stack as u8, u.index
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g14_formatting() {
        assert_eq!(fmt_g14(2.5), "2.5");
        assert_eq!(fmt_g14(1e100), "1e+100");
        assert_eq!(fmt_g14(0.1), "0.1");
        assert_eq!(fmt_g14(1.0 / 3.0), "0.33333333333333");
        assert_eq!(fmt_g14(123456789012345.0), "1.2345678901234e+14");
        assert_eq!(fmt_g14(1e-5), "1e-05");
        assert_eq!(constant_to_string(&Constant::Float(3.0)), "3.0");
        assert_eq!(constant_to_string(&Constant::Float(-0.5)), "-0.5");
        assert_eq!(
            constant_to_string(&Constant::Str(b"a\"b\n\x01".to_vec())),
            "\"a\\\"b\\n\\001\""
        );
    }
}
