//! Compiler tests: parse + compile snippets and compare the instruction sequences (opcode and
//! operands) with listings obtained from `luac5.4 -l` (Lua 5.4.4), hard-coded below.

use super::*;
use crate::bytecode::{Constant, OpCode};
use crate::disasm::disassemble;

fn parse(src: &str) -> Chunk {
    crate::parser::parse(src.as_bytes(), "=test").unwrap_or_else(|e| panic!("{}", e.message))
}

fn compile_src(src: &str) -> Result<Proto, SyntaxError> {
    compile(&parse(src), "=test")
}

/// Opcode + operands of every instruction, with `--` starting each function (luac order).
fn normalized(src: &str) -> Vec<String> {
    let p = compile_src(src).unwrap_or_else(|e| panic!("{}", e.message));
    let text = disassemble(&p);
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("main") || line.starts_with("function") {
            out.push("--".to_string());
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        // "\t<n>\t[<line>]\t<OP>\t<operands>[\t; comment]"
        if fields.len() >= 5 && fields[0].is_empty() && fields[2].starts_with('[') {
            let op = fields[3].trim();
            let operands = fields[4].trim();
            out.push(format!("{op} {operands}").trim().to_string());
        }
    }
    out
}

fn check(src: &str, expected: &[&str]) {
    let got = normalized(src);
    if got != expected {
        let mut msg = String::new();
        for i in 0..got.len().max(expected.len()) {
            let g = got.get(i).map_or("", |s| s.as_str());
            let e = expected.get(i).copied().unwrap_or("");
            msg.push_str(&format!(
                "{}{:4} {:30} {}\n",
                if g == e { "  " } else { "!!" },
                i,
                e,
                g
            ));
        }
        panic!("listing differs (expected | got):\n{msg}");
    }
}

/// Compiles with the test-only mini parser, which does no semantic checks, so that errors come
/// from the compiler (the real parser reports most of them itself).
fn compile_err(src: &str) -> String {
    match compile(&super::testparse::parse(src), "=test") {
        Ok(_) => panic!("expected an error for {src:?}"),
        Err(e) => e.message,
    }
}

/// Development helper: `SNIPPET=/abs/file.lua cargo test dump_snippet -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_snippet() {
    let path = std::env::var("SNIPPET").expect("SNIPPET");
    let src = std::fs::read_to_string(&path).expect("read");
    let chunk = parse(&src);
    match compile(&chunk, &format!("@{path}")) {
        Ok(p) => print!("{}", disassemble(&p)),
        Err(e) => println!("ERROR: {}", e.message),
    }
}

// ---- errors -------------------------------------------------------------------------

#[test]
fn error_goto_undefined_label() {
    assert_eq!(
        compile_err("goto x"),
        "test:1: no visible label 'x' for <goto> at line 1"
    );
    assert_eq!(
        compile_err("do local a ::l:: end\ngoto l"),
        "test:2: no visible label 'l' for <goto> at line 2"
    );
}

#[test]
fn error_goto_into_scope() {
    assert_eq!(
        compile_err("goto f; local a; ::f:: print(a)"),
        "test:1: <goto f> at line 1 jumps into the scope of local 'a'"
    );
    assert_eq!(
        compile_err("repeat local x; goto e; local y ::e:: until x"),
        "test:1: <goto e> at line 1 jumps into the scope of local 'y'"
    );
    // a label at the end of a block is outside the scope of the block's locals
    assert!(compile_src("do goto f; local a; ::f:: end").is_ok());
}

#[test]
fn error_break_outside_loop() {
    assert_eq!(
        compile_err("while 1 do end\nbreak"),
        "test:2: break outside loop at line 2"
    );
}

#[test]
fn error_repeated_label() {
    assert_eq!(
        compile_err("::a::\n::a::"),
        "test:1: label 'a' already defined on line 2"
    );
}

#[test]
fn error_assign_to_const() {
    assert_eq!(
        compile_err("local x <const> = 1; x = 2"),
        "test:1: attempt to assign to const variable 'x'"
    );
    assert_eq!(
        compile_err("local x <const> = {}; x = 2"),
        "test:1: attempt to assign to const variable 'x'"
    );
    assert_eq!(
        compile_err("local x <close> = nil; local function f() x = 1 end"),
        "test:1: attempt to assign to const variable 'x'"
    );
    assert_eq!(
        compile_err("local a <close>, b <close> = 1, 2"),
        "test:1: multiple to-be-closed variables in local list"
    );
}

#[test]
fn error_vararg_outside_vararg_function() {
    assert_eq!(
        compile_err("function f() return ... end"),
        "test:1: cannot use '...' outside a vararg function near '...'"
    );
}

#[test]
fn error_limits() {
    let src = format!(
        "local function f()\n{}\nend",
        (0..201)
            .map(|i| format!("local a{i} = {i}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        compile_err(&src),
        "test:202: too many local variables (limit is 200) in function at line 1"
    );
    let src = format!(
        "f({})",
        (0..300)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    assert_eq!(
        compile_err(&src),
        "test:1: function or expression needs too many registers"
    );
    // 300 upvalues: 150 locals in each of two enclosing functions
    let decl = |p: &str| {
        format!(
            "local {}",
            (0..150)
                .map(|i| format!("{p}{i}"))
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let uses: Vec<String> = (0..150)
        .map(|i| format!("u{i}"))
        .chain((0..150).map(|i| format!("v{i}")))
        .collect();
    let src = format!(
        "{}\nfunction g()\n{}\nfunction h() {} end end",
        decl("u"),
        decl("v"),
        uses.iter()
            .map(|u| format!("{u} = 1"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert_eq!(
        compile_err(&src),
        "test:4: too many upvalues (limit is 255) in function at line 4"
    );
}

#[test]
fn many_constants_use_loadkx_and_registers() {
    // more than 255 constants: RK operands spill to registers
    let mut src = String::from("local t = {}\n");
    for i in 0..300 {
        src.push_str(&format!("t.k{i} = 'v{i}'\n"));
    }
    src.push_str("t[1] = t.k299 + 1.5\n");
    let got = normalized(&src);
    assert!(got.contains(&"LOADK 2 599".to_string()), "{got:?}");
    assert!(got.contains(&"SETTABLE 0 1 2".to_string()), "{got:?}");
    // more than MAXARG_Bx constants: LOADKX + EXTRAARG
    let n = crate::bytecode::MAXARG_BX as usize + 10;
    let mut src = String::from("local x\n");
    for i in 0..n {
        src.push_str(&format!("x = {i}.5\n"));
    }
    let p = compile_src(&src).unwrap();
    assert_eq!(p.constants.len(), n);
    let last = p.code.len() - 2;
    assert_eq!(crate::bytecode::get_op(p.code[last - 1]), OpCode::LoadKX);
    assert_eq!(crate::bytecode::get_op(p.code[last]), OpCode::ExtraArg);
    assert_eq!(crate::bytecode::get_ax(p.code[last]), n as u32 - 1);
    assert_eq!(p.constants[n - 1], Constant::Float(n as f64 - 0.5));
}

// ---- debug information ---------------------------------------------------------------

#[test]
fn locvars_and_upvalues() {
    let p = compile_src("local a, b = 1, 2\nlocal function f() return a end\nfor i = 1, 2 do end")
        .unwrap();
    let names: Vec<(&str, u32, u32)> = p
        .loc_vars
        .iter()
        .map(|l| (l.name.as_str(), l.start_pc, l.end_pc))
        .collect();
    assert_eq!(
        names,
        vec![
            ("a", 3, 10),
            ("b", 3, 10),
            ("f", 4, 10),
            ("(for state)", 7, 9),
            ("(for state)", 7, 9),
            ("(for state)", 7, 9),
            ("i", 8, 8),
        ]
    );
    assert_eq!(p.upvalues.len(), 1);
    assert_eq!(p.upvalues[0].name, "_ENV");
    assert!(p.upvalues[0].in_stack);
    let f = &p.protos[0];
    assert_eq!(f.upvalues[0].name, "a");
    assert!(f.upvalues[0].in_stack);
    assert_eq!(f.upvalues[0].index, 0);
    assert_eq!((f.line_defined, f.last_line_defined), (2, 2));
    assert!(p.is_vararg && p.max_stack_size >= 2);
    assert_eq!(p.source, "=test");
}

#[test]
fn local_env_changes_global_resolution() {
    check(
        "local _ENV = {}\nx = 1\nlocal function f() return y end",
        &[
            "--",
            "VARARGPREP 0",
            "NEWTABLE 0 0 0",
            "EXTRAARG 0",
            "SETFIELD 0 0 1k",
            "CLOSURE 1 0",
            "RETURN 2 1 1k",
            "--",
            "GETTABUP 0 0 0",
            "RETURN1 0",
            "RETURN0",
        ],
    );
}

// ---- deep nesting ----------------------------------------------------------------------

fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn deep_nesting_compiles_on_small_stack() {
    let chunks: Vec<Chunk> = vec![
        super::testparse::parse(&format!("{}x = 1{}", "do ".repeat(199), " end".repeat(199))),
        super::testparse::parse(&format!("x = {}1{}", "(".repeat(190), ")".repeat(190))),
        super::testparse::parse(&format!("x = {}1{}", "{".repeat(190), "}".repeat(190))),
        super::testparse::parse(&format!(
            "{}x = 1{}",
            "if y then ".repeat(199),
            " end".repeat(199)
        )),
        super::testparse::parse(&format!(
            "{}x = 1{}",
            "while y do ".repeat(199),
            " end".repeat(199)
        )),
        super::testparse::parse(&format!("x = a{}", " .. a".repeat(190))),
        super::testparse::parse(&format!("x = 1{}", " + a".repeat(5000))),
        super::testparse::parse(&format!("x = {}a", "- ".repeat(190))),
        super::testparse::parse(&format!(
            "{}x = 1{}",
            "for i = 1, 2 do ".repeat(49),
            " end".repeat(49)
        )),
        super::testparse::parse(&format!(
            "{}x = 1{}",
            "repeat ".repeat(199),
            " until y".repeat(199)
        )),
        super::testparse::parse(&format!("x = {}a{}", "f(".repeat(199), ")".repeat(199))),
        super::testparse::parse(&format!(
            "x = {}1{}",
            "function() return ".repeat(199),
            " end".repeat(199)
        )),
    ];
    on_small_stack(move || {
        for c in &chunks {
            compile(c, "=deep").unwrap_or_else(|e| panic!("{}", e.message));
        }
    });
}

#[test]
fn too_deep_nesting_is_an_error_not_a_crash() {
    let c = super::testparse::parse(&format!(
        "{}x = 1{}",
        "do ".repeat(1000),
        " end".repeat(1000)
    ));
    on_small_stack(move || {
        assert!(compile(&c, "=deep").is_err());
    });
}

// ---- malformed trees ---------------------------------------------------------------------

#[test]
fn malformed_trees_do_not_panic() {
    use crate::ast::*;
    let e = |k| Expr::new(k, 1);
    let bad = vec![
        Stat::Local {
            names: vec![],
            exprs: vec![e(ExprKind::Int(1))],
            line: 1,
        },
        Stat::Assign {
            targets: vec![e(ExprKind::Int(1))],
            exprs: vec![e(ExprKind::Int(1))],
            line: 1,
        },
        Stat::Assign {
            targets: vec![],
            exprs: vec![],
            line: 1,
        },
        Stat::Call(e(ExprKind::Name("x".into()))),
        Stat::Function {
            path: vec![],
            method: None,
            func: Box::new(FuncBody {
                params: vec![],
                is_vararg: false,
                body: Block::default(),
                line: 1,
                end_line: 1,
            }),
            line: 1,
        },
        Stat::GenericFor {
            names: vec![],
            exprs: vec![],
            body: Block::default(),
            line: 1,
        },
        Stat::Call(e(ExprKind::Call(Box::new(e(ExprKind::Nil)), vec![]))),
        Stat::Call(e(ExprKind::Index(
            Box::new(e(ExprKind::Str(b"s".to_vec()))),
            Box::new(e(ExprKind::Vararg)),
        ))),
    ];
    for s in bad {
        let chunk = Chunk {
            body: Block {
                stats: vec![s],
                ret: None,
            },
            end_line: 1,
        };
        let _ = compile(&chunk, "=bad");
    }
}

// ---- listings from luac5.4 -l ------------------------------------------------------------

#[test]
fn luac_assignments() {
    check(
        r##"local a, b, c = f()
local d, e = 1
local i, j = 1, 2, 3, f()
a, b = b, a
local t = {}
t[a], a = 1, 2
t.x, t = 1, 2
x, y = y, x
"##,
        &[
            "--",
            "VARARGPREP 0",
            "GETTABUP 0 0 0",
            "CALL 0 1 4",
            "LOADI 3 1",
            "LOADNIL 4 0",
            "LOADI 5 1",
            "LOADI 6 2",
            "LOADI 7 3",
            "GETTABUP 8 0 0",
            "CALL 8 1 1",
            "MOVE 7 1",
            "MOVE 1 0",
            "MOVE 0 7",
            "NEWTABLE 7 0 0",
            "EXTRAARG 0",
            "MOVE 8 0",
            "LOADI 9 1",
            "LOADI 0 2",
            "SETTABLE 7 8 9",
            "MOVE 8 7",
            "LOADI 9 1",
            "LOADI 7 2",
            "SETFIELD 8 1 9",
            "GETTABUP 8 0 2",
            "GETTABUP 9 0 1",
            "SETTABUP 0 2 9",
            "SETTABUP 0 1 8",
            "RETURN 8 1 1",
        ],
    );
}

#[test]
fn luac_conditions() {
    check(
        r##"local a, b, c
local function f(...)
  local t = {...}
  for i = 1, select("#", ...) do
    t[i] = t[i] or false
  end
  return table.unpack(t)
end
print(a and b, a or b, a and b or c, not a and b, a == b and c)
local x = a and 1 or 2
local y = (a or b) and (c or d)
local z = a ~= nil and a.b ~= nil
if a or b and c then f() end
if (a and b) or (c and d) then f() end
if a == 1 or a == 2 then f() end
while not a do a = f() end
repeat a = a - 1 until a <= 0 or b
local s = "x" .. a .. "y" .. (b .. c) .. 1 .. 2.5
local n = -a ^ 2
local m = 2 ^ -a
local o = #"abc"
local p = -"2"
local q = 10 - -3
"##,
        &[
            "--",
            "VARARGPREP 0",
            "LOADNIL 0 2",
            "CLOSURE 3 0",
            "GETTABUP 4 0 0",
            "TESTSET 5 0 0",
            "JMP 1",
            "MOVE 5 1",
            "TESTSET 6 0 1",
            "JMP 1",
            "MOVE 6 1",
            "TEST 0 0",
            "JMP 2",
            "TESTSET 7 1 1",
            "JMP 1",
            "MOVE 7 2",
            "TEST 0 1",
            "JMP 2",
            "MOVE 8 1",
            "JMP 2",
            "LFALSESKIP 8",
            "LOADTRUE 8",
            "EQ 0 1 0",
            "JMP 2",
            "MOVE 9 2",
            "JMP 2",
            "LFALSESKIP 9",
            "LOADTRUE 9",
            "CALL 4 6 1",
            "TEST 0 0",
            "JMP 3",
            "LOADI 4 1",
            "TEST 4 1",
            "JMP 1",
            "LOADI 4 2",
            "TEST 0 1",
            "JMP 2",
            "TESTSET 5 1 0",
            "JMP 3",
            "TESTSET 5 2 1",
            "JMP 1",
            "GETTABUP 5 0 1",
            "EQK 0 2 1",
            "JMP 3",
            "GETFIELD 6 0 3",
            "EQK 6 2 0",
            "JMP 1",
            "LFALSESKIP 6",
            "LOADTRUE 6",
            "TEST 0 1",
            "JMP 4",
            "TEST 1 0",
            "JMP 4",
            "TEST 2 0",
            "JMP 2",
            "MOVE 7 3",
            "CALL 7 1 1",
            "TEST 0 0",
            "JMP 2",
            "TEST 1 1",
            "JMP 5",
            "TEST 2 0",
            "JMP 5",
            "GETTABUP 7 0 1",
            "TEST 7 0",
            "JMP 2",
            "MOVE 7 3",
            "CALL 7 1 1",
            "EQI 0 1 1",
            "JMP 2",
            "EQI 0 2 0",
            "JMP 2",
            "MOVE 7 3",
            "CALL 7 1 1",
            "TEST 0 1",
            "JMP 4",
            "MOVE 7 3",
            "CALL 7 1 2",
            "MOVE 0 7",
            "JMP -6",
            "ADDI 0 0 -1",
            "MMBINI 0 1 7 0",
            "LEI 0 0 1",
            "JMP 2",
            "TEST 1 0",
            "JMP -6",
            "LOADK 7 4",
            "MOVE 8 0",
            "LOADK 9 5",
            "MOVE 10 1",
            "MOVE 11 2",
            "CONCAT 10 2",
            "LOADI 11 1",
            "LOADK 12 6",
            "CONCAT 7 6",
            "POWK 8 0 7",
            "MMBINK 0 7 10 0",
            "UNM 8 8",
            "UNM 9 0",
            "LOADI 10 2",
            "POW 9 10 9",
            "MMBIN 10 9 10",
            "LOADK 10 8",
            "LEN 10 10",
            "LOADK 11 9",
            "UNM 11 11",
            "LOADI 12 13",
            "RETURN 13 1 1",
            "--",
            "VARARGPREP 0",
            "NEWTABLE 0 0 0",
            "EXTRAARG 0",
            "VARARG 1 0",
            "SETLIST 0 0 0",
            "LOADI 1 1",
            "GETTABUP 2 0 0",
            "LOADK 3 1",
            "VARARG 4 0",
            "CALL 2 0 2",
            "LOADI 3 1",
            "FORPREP 1 5",
            "GETTABLE 5 0 4",
            "TEST 5 1",
            "JMP 1",
            "LOADFALSE 5",
            "SETTABLE 0 4 5",
            "FORLOOP 1 6",
            "GETTABUP 1 0 2",
            "GETFIELD 1 1 3",
            "MOVE 2 0",
            "TAILCALL 1 2 1",
            "RETURN 1 0 1",
            "RETURN 1 1 1",
        ],
    );
}

#[test]
fn luac_const_close() {
    check(
        r##"local x <const> = 10
local y <const> = "str"
local z <const> = x * 2 + 1
local w <const> = {}
print(x, y, z, w)
local function f()
  local c <close> = g()
  local d <const> = h()
  return c, d
end
local function f2()
  do
    local c <close> = g()
  end
  return g2()
end
"##,
        &[
            "--",
            "VARARGPREP 0",
            "NEWTABLE 0 0 0",
            "EXTRAARG 0",
            "GETTABUP 1 0 0",
            "LOADI 2 10",
            "LOADK 3 1",
            "LOADI 4 21",
            "MOVE 5 0",
            "CALL 1 5 1",
            "CLOSURE 1 0",
            "CLOSURE 2 1",
            "RETURN 3 1 1",
            "--",
            "GETTABUP 0 0 0",
            "CALL 0 1 2",
            "TBC 0",
            "GETTABUP 1 0 1",
            "CALL 1 1 2",
            "MOVE 2 0",
            "MOVE 3 1",
            "RETURN 2 3 0k",
            "RETURN 2 1 0k",
            "--",
            "GETTABUP 0 0 0",
            "CALL 0 1 2",
            "TBC 0",
            "CLOSE 0",
            "GETTABUP 0 0 1",
            "TAILCALL 0 1 0k",
            "RETURN 0 0 0k",
            "RETURN 0 1 0k",
        ],
    );
}

#[test]
fn luac_gotos() {
    check(
        r##"for k, v in pairs({}) do
  if k then goto continue end
  print(v)
  ::continue::
end
do
  goto fwd
  local m = 1
  ::fwd::
end
::top::
x = x + 1
if x < 10 then goto top end
"##,
        &[
            "--",
            "VARARGPREP 0",
            "GETTABUP 0 0 0",
            "NEWTABLE 1 0 0",
            "EXTRAARG 0",
            "CALL 0 2 5",
            "TFORPREP 0 6",
            "TEST 4 0",
            "JMP 1",
            "JMP 3",
            "GETTABUP 6 0 1",
            "MOVE 7 5",
            "CALL 6 2 1",
            "TFORCALL 0 2",
            "TFORLOOP 0 8",
            "CLOSE 0",
            "JMP 1",
            "LOADI 0 1",
            "GETTABUP 0 0 2",
            "ADDI 0 0 1",
            "MMBINI 0 1 6 0",
            "SETTABUP 0 2 0",
            "GETTABUP 0 0 2",
            "LTI 0 10 0",
            "JMP 1",
            "JMP -8",
            "RETURN 0 1 1k",
        ],
    );
}

#[test]
fn luac_locals_globals_upvalues() {
    check(
        r##"local a, b = 1, 2
x = a + b
local function f() a = a + 1; return x, b end
y = f
"##,
        &[
            "--",
            "VARARGPREP 0",
            "LOADI 0 1",
            "LOADI 1 2",
            "ADD 2 0 1",
            "MMBIN 0 1 6",
            "SETTABUP 0 0 2",
            "CLOSURE 2 0",
            "SETTABUP 0 1 2",
            "RETURN 3 1 1k",
            "--",
            "GETUPVAL 0 0",
            "ADDI 0 0 1",
            "MMBINI 0 1 6 0",
            "SETUPVAL 0 0",
            "GETTABUP 0 1 0",
            "GETUPVAL 1 2",
            "RETURN 0 3 0",
            "RETURN0",
        ],
    );
}

#[test]
fn luac_loops() {
    check(
        r##"for i = 1, 10 do print(i) end
for i = 10, 1, -2 do print(i) end
for x = 0.5, 2.5, 0.5 do print(x) end
for k, v in pairs(t) do print(k, v) end
for a, b, c, d in f() do end
local n = 0
while n < 10 do n = n + 1 if n == 5 then break end end
repeat n = n - 1 until n == 0
while true do
  local q = n
  local g = function() return q end
  if q then break end
end
repeat
  local z = 1
  local h = function() return z end
until z > 0
"##,
        &[
            "--",
            "VARARGPREP 0",
            "LOADI 0 1",
            "LOADI 1 10",
            "LOADI 2 1",
            "FORPREP 0 3",
            "GETTABUP 4 0 0",
            "MOVE 5 3",
            "CALL 4 2 1",
            "FORLOOP 0 4",
            "LOADI 0 10",
            "LOADI 1 1",
            "LOADI 2 -2",
            "FORPREP 0 3",
            "GETTABUP 4 0 0",
            "MOVE 5 3",
            "CALL 4 2 1",
            "FORLOOP 0 4",
            "LOADK 0 1",
            "LOADK 1 2",
            "LOADK 2 1",
            "FORPREP 0 3",
            "GETTABUP 4 0 0",
            "MOVE 5 3",
            "CALL 4 2 1",
            "FORLOOP 0 4",
            "GETTABUP 0 0 3",
            "GETTABUP 1 0 4",
            "CALL 0 2 5",
            "TFORPREP 0 4",
            "GETTABUP 6 0 0",
            "MOVE 7 4",
            "MOVE 8 5",
            "CALL 6 3 1",
            "TFORCALL 0 2",
            "TFORLOOP 0 6",
            "CLOSE 0",
            "GETTABUP 0 0 5",
            "CALL 0 1 5",
            "TFORPREP 0 0",
            "TFORCALL 0 4",
            "TFORLOOP 0 2",
            "CLOSE 0",
            "LOADI 0 0",
            "LTI 0 10 0",
            "JMP 5",
            "ADDI 0 0 1",
            "MMBINI 0 1 6 0",
            "EQI 0 5 1",
            "JMP 1",
            "JMP -7",
            "ADDI 0 0 -1",
            "MMBINI 0 1 7 0",
            "EQI 0 0 0",
            "JMP -4",
            "MOVE 1 0",
            "CLOSURE 2 0",
            "TEST 1 1",
            "JMP 2",
            "CLOSE 1",
            "JMP -6",
            "CLOSE 1",
            "LOADI 1 1",
            "CLOSURE 2 1",
            "GTI 1 0 0",
            "JMP 2",
            "CLOSE 1",
            "JMP 2",
            "CLOSE 1",
            "JMP -8",
            "RETURN 1 1 1k",
            "--",
            "GETUPVAL 0 0",
            "RETURN1 0",
            "RETURN0",
            "--",
            "GETUPVAL 0 0",
            "RETURN1 0",
            "RETURN0",
        ],
    );
}

#[test]
fn luac_methods_varargs() {
    check(
        r##"local v = {...}
print(select('#', ...))
local function g(...) return ... end
local function h(...) return f(...) end
local function k(a, b, ...) local x, y = ... ; return a, b, x, y end
local s = obj:method(1, 2):other "s" {3}
obj.field.sub:m()
return f(a)(b)
"##,
        &[
            "--",
            "VARARGPREP 0",
            "NEWTABLE 0 0 0",
            "EXTRAARG 0",
            "VARARG 1 0",
            "SETLIST 0 0 0",
            "GETTABUP 1 0 0",
            "GETTABUP 2 0 1",
            "LOADK 3 2",
            "VARARG 4 0",
            "CALL 2 0 0",
            "CALL 1 0 1",
            "CLOSURE 1 0",
            "CLOSURE 2 1",
            "CLOSURE 3 2",
            "GETTABUP 4 0 3",
            "SELF 4 4 4k",
            "LOADI 6 1",
            "LOADI 7 2",
            "CALL 4 4 2",
            "SELF 4 4 5k",
            "LOADK 6 6",
            "CALL 4 3 2",
            "NEWTABLE 5 0 1",
            "EXTRAARG 0",
            "LOADI 6 3",
            "SETLIST 5 1 0",
            "CALL 4 2 2",
            "GETTABUP 5 0 3",
            "GETFIELD 5 5 7",
            "GETFIELD 5 5 8",
            "SELF 5 5 9k",
            "CALL 5 2 1",
            "GETTABUP 5 0 10",
            "GETTABUP 6 0 11",
            "CALL 5 2 2",
            "GETTABUP 6 0 12",
            "TAILCALL 5 2 1",
            "RETURN 5 0 1",
            "RETURN 5 1 1",
            "--",
            "VARARGPREP 0",
            "VARARG 0 0",
            "RETURN 0 0 1",
            "RETURN 0 1 1",
            "--",
            "VARARGPREP 0",
            "GETTABUP 0 0 0",
            "VARARG 1 0",
            "TAILCALL 0 0 1",
            "RETURN 0 0 1",
            "RETURN 0 1 1",
            "--",
            "VARARGPREP 2",
            "VARARG 2 3",
            "MOVE 4 0",
            "MOVE 5 1",
            "MOVE 6 2",
            "MOVE 7 3",
            "RETURN 4 5 3",
            "RETURN 4 1 3",
        ],
    );
}

#[test]
fn luac_nested_closures() {
    check(
        r##"local x = 1
local function outer()
  local y = 2
  local function inner()
    x = x + y
    return function() return x, y, z end
  end
  y = 5
  return inner
end
"##,
        &[
            "--",
            "VARARGPREP 0",
            "LOADI 0 1",
            "CLOSURE 1 0",
            "RETURN 2 1 1k",
            "--",
            "LOADI 0 2",
            "CLOSURE 1 0",
            "LOADI 0 5",
            "RETURN 1 2 0k",
            "RETURN 2 1 0k",
            "--",
            "GETUPVAL 0 0",
            "GETUPVAL 1 1",
            "ADD 0 0 1",
            "MMBIN 0 1 6",
            "SETUPVAL 0 0",
            "CLOSURE 0 0",
            "RETURN1 0",
            "RETURN0",
            "--",
            "GETUPVAL 0 0",
            "GETUPVAL 1 1",
            "GETTABUP 2 2 0",
            "RETURN 0 4 0",
            "RETURN0",
        ],
    );
}

#[test]
fn luac_operators_folding() {
    check(
        r##"local x <const> = 10
local y <const> = "str"
local z <const> = x * 2 + 1
local w <const> = {}
print(x, y, z, w)
local a = 1 // 0
local b = 1 / 0
local c = 0/0
local d = -0.0
local e = 3 % -2
local f = 2^53
local g = 1 << 63
local h = 1 >> 1
local i = ~5
local j = 3.0 | 1
local k = 3.5 | 1
local l = -(-9223372036854775807 - 1)
local m = 7 // 2.0
local n = "a" .. "b" .. a .. b
local o = not nil, not 1, not a
local p = a and b or c
local q = a == 1, a ~= "x", 1 == a, a < 3, 3 < a, a <= b, a >= 2.0, a > 300, a == nil
print(#a, -a, ~a, a - 1, a - 200, 1 - a, a * 2, 2 * a, a << 2, 2 << a, a >> 3, a & 0xff, 5 | a)
if a and b then print(1) elseif c or d then print(2) else print(3) end
if not (a == b) then print(4) end
local r = (a > b) == (c < d)
"##,
        &[
            "--",
            "VARARGPREP 0",
            "NEWTABLE 0 0 0",
            "EXTRAARG 0",
            "GETTABUP 1 0 0",
            "LOADI 2 10",
            "LOADK 3 1",
            "LOADI 4 21",
            "MOVE 5 0",
            "CALL 1 5 1",
            "LOADI 1 1",
            "IDIVK 1 1 2",
            "MMBINK 1 2 12 0",
            "LOADI 2 1",
            "DIVK 2 2 2",
            "MMBINK 2 2 11 0",
            "LOADI 3 0",
            "DIVK 3 3 2",
            "MMBINK 3 2 11 0",
            "LOADF 4 0",
            "UNM 4 4",
            "LOADI 5 -1",
            "LOADK 6 3",
            "LOADK 7 4",
            "LOADI 8 0",
            "LOADI 9 -6",
            "LOADI 10 3",
            "LOADK 11 6",
            "BORK 11 11 5",
            "MMBINK 11 5 14 0",
            "LOADK 12 4",
            "LOADF 13 3",
            "LOADK 14 7",
            "LOADK 15 8",
            "MOVE 16 1",
            "MOVE 17 2",
            "CONCAT 14 4",
            "LOADTRUE 15",
            "LOADFALSE 16",
            "NOT 17 1",
            "TEST 1 0",
            "JMP 2",
            "TESTSET 16 2 1",
            "JMP 1",
            "MOVE 16 3",
            "EQI 1 1 1",
            "JMP 1",
            "LFALSESKIP 17",
            "LOADTRUE 17",
            "EQK 1 9 0",
            "JMP 1",
            "LFALSESKIP 18",
            "LOADTRUE 18",
            "EQI 1 1 1",
            "JMP 1",
            "LFALSESKIP 19",
            "LOADTRUE 19",
            "LTI 1 3 1",
            "JMP 1",
            "LFALSESKIP 20",
            "LOADTRUE 20",
            "GTI 1 3 1",
            "JMP 1",
            "LFALSESKIP 21",
            "LOADTRUE 21",
            "LE 1 2 1",
            "JMP 1",
            "LFALSESKIP 22",
            "LOADTRUE 22",
            "GEI 1 2 1",
            "JMP 1",
            "LFALSESKIP 23",
            "LOADTRUE 23",
            "LOADI 24 300",
            "LT 24 1 1",
            "JMP 1",
            "LFALSESKIP 24",
            "LOADTRUE 24",
            "EQK 1 10 1",
            "JMP 1",
            "LFALSESKIP 25",
            "LOADTRUE 25",
            "GETTABUP 18 0 0",
            "LEN 19 1",
            "UNM 20 1",
            "BNOT 21 1",
            "ADDI 22 1 -1",
            "MMBINI 1 1 7 0",
            "SUBK 23 1 11",
            "MMBINK 1 11 7 0",
            "LOADI 24 1",
            "SUB 24 24 1",
            "MMBIN 24 1 7",
            "MULK 25 1 12",
            "MMBINK 1 12 8 0",
            "MULK 26 1 12",
            "MMBINK 1 12 8 1",
            "SHRI 27 1 -2",
            "MMBINI 1 2 16 0",
            "SHLI 28 1 2",
            "MMBINI 1 2 16 1",
            "SHRI 29 1 3",
            "MMBINI 1 3 17 0",
            "BANDK 30 1 13",
            "MMBINK 1 13 13 0",
            "BORK 31 1 14",
            "MMBINK 1 14 14 1",
            "CALL 18 14 1",
            "TEST 1 0",
            "JMP 6",
            "TEST 2 0",
            "JMP 4",
            "GETTABUP 18 0 0",
            "LOADI 19 1",
            "CALL 18 2 1",
            "JMP 11",
            "TEST 3 1",
            "JMP 2",
            "TEST 4 0",
            "JMP 4",
            "GETTABUP 18 0 0",
            "LOADI 19 2",
            "CALL 18 2 1",
            "JMP 3",
            "GETTABUP 18 0 0",
            "LOADI 19 3",
            "CALL 18 2 1",
            "EQ 1 2 1",
            "JMP 3",
            "GETTABUP 18 0 0",
            "LOADI 19 4",
            "CALL 18 2 1",
            "LT 2 1 1",
            "JMP 1",
            "LFALSESKIP 18",
            "LOADTRUE 18",
            "LT 3 4 1",
            "JMP 1",
            "LFALSESKIP 19",
            "LOADTRUE 19",
            "EQ 18 19 1",
            "JMP 1",
            "LFALSESKIP 18",
            "LOADTRUE 18",
            "RETURN 19 1 1",
        ],
    );
}

#[test]
fn luac_tables() {
    check(
        r##"local t = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53, f(), x = 1, y = 2, [3] = 4}
local u = {f()}
local w = {f(), 1}
local e = {}
local h = {a = 1, b = 2, c = 3, d = 4, e = 5}
"##,
        &[
            "--",
            "VARARGPREP 0",
            "NEWTABLE 0 3 54",
            "EXTRAARG 0",
            "LOADI 1 1",
            "LOADI 2 2",
            "LOADI 3 3",
            "LOADI 4 4",
            "LOADI 5 5",
            "LOADI 6 6",
            "LOADI 7 7",
            "LOADI 8 8",
            "LOADI 9 9",
            "LOADI 10 10",
            "LOADI 11 11",
            "LOADI 12 12",
            "LOADI 13 13",
            "LOADI 14 14",
            "LOADI 15 15",
            "LOADI 16 16",
            "LOADI 17 17",
            "LOADI 18 18",
            "LOADI 19 19",
            "LOADI 20 20",
            "LOADI 21 21",
            "LOADI 22 22",
            "LOADI 23 23",
            "LOADI 24 24",
            "LOADI 25 25",
            "LOADI 26 26",
            "LOADI 27 27",
            "LOADI 28 28",
            "LOADI 29 29",
            "LOADI 30 30",
            "LOADI 31 31",
            "LOADI 32 32",
            "LOADI 33 33",
            "LOADI 34 34",
            "LOADI 35 35",
            "LOADI 36 36",
            "LOADI 37 37",
            "LOADI 38 38",
            "LOADI 39 39",
            "LOADI 40 40",
            "LOADI 41 41",
            "LOADI 42 42",
            "LOADI 43 43",
            "LOADI 44 44",
            "LOADI 45 45",
            "LOADI 46 46",
            "LOADI 47 47",
            "LOADI 48 48",
            "LOADI 49 49",
            "LOADI 50 50",
            "SETLIST 0 50 0",
            "LOADI 1 51",
            "LOADI 2 52",
            "LOADI 3 53",
            "GETTABUP 4 0 0",
            "CALL 4 1 2",
            "SETFIELD 0 1 2k",
            "SETFIELD 0 3 4k",
            "SETI 0 3 5k",
            "SETLIST 0 4 50",
            "NEWTABLE 1 0 0",
            "EXTRAARG 0",
            "GETTABUP 2 0 0",
            "CALL 2 1 0",
            "SETLIST 1 0 0",
            "NEWTABLE 2 0 2",
            "EXTRAARG 0",
            "GETTABUP 3 0 0",
            "CALL 3 1 2",
            "LOADI 4 1",
            "SETLIST 2 2 0",
            "NEWTABLE 3 0 0",
            "EXTRAARG 0",
            "NEWTABLE 4 4 0",
            "EXTRAARG 0",
            "SETFIELD 4 6 2k",
            "SETFIELD 4 7 4k",
            "SETFIELD 4 8 9k",
            "SETFIELD 4 10 5k",
            "SETFIELD 4 11 12k",
            "RETURN 5 1 1",
        ],
    );
}
#[test]
fn luac_misc() {
    check(
        r##"function a.b.c:m(x, ...) return self, x end
function g(a) local t = {} t[1.0] = 2 t[2^53] = 3 t[-0] = 4 return t end
local big = 9007199254740993
local f1, f2 = 1e308 * 10, -1e308 * 10
local h = 0x7fffffffffffffff + 1
local s = 'tab\there' .. "\0zero"
for i = 1, 3 do
  if i == 2 then break end
  if i == 1 then break; print(i) end
end
local n = 5
repeat
  local k = n
  if k == 3 then goto cont end
  n = n - 1
  ::cont::
until n == 0
local function tb()
  local x <close> = setmetatable({}, mt)
  return f(x)
end
local function outer(...)
  local a, b = ...
  return function(...) return a, b, ... end
end
local t = {f(), f(), nil, true, false, 1.5, "x"}
t.x, t.y = t.y, t.x
local i = 1
i, t[i] = i+1, 20
print(("x"):rep(3), #t == 0 and "empty" or "not")
local cnt = 0
while cnt < 10 and t[cnt] ~= nil do cnt = cnt + 1 end
"##,
        &[
            "--",
            "VARARGPREP 0",
            "GETTABUP 0 0 0",
            "GETFIELD 0 0 1",
            "GETFIELD 0 0 2",
            "CLOSURE 1 0",
            "SETFIELD 0 3 1",
            "CLOSURE 0 1",
            "SETTABUP 0 4 0",
            "LOADK 0 5",
            "LOADK 1 6",
            "LOADK 2 7",
            "LOADK 3 8",
            "LOADK 4 9",
            "LOADK 5 10",
            "CONCAT 4 2",
            "LOADI 5 1",
            "LOADI 6 3",
            "LOADI 7 1",
            "FORPREP 5 8",
            "EQI 8 2 1",
            "JMP 7",
            "EQI 8 1 1",
            "JMP 5",
            "JMP 3",
            "GETTABUP 9 0 11",
            "MOVE 10 8",
            "CALL 9 2 1",
            "FORLOOP 5 9",
            "LOADI 5 5",
            "MOVE 6 5",
            "EQI 6 3 0",
            "JMP 1",
            "JMP 2",
            "ADDI 5 5 -1",
            "MMBINI 5 1 7 0",
            "EQI 5 0 0",
            "JMP -8",
            "CLOSURE 6 2",
            "CLOSURE 7 3",
            "NEWTABLE 8 0 7",
            "EXTRAARG 0",
            "GETTABUP 9 0 12",
            "CALL 9 1 2",
            "GETTABUP 10 0 12",
            "CALL 10 1 2",
            "LOADNIL 11 0",
            "LOADTRUE 12",
            "LOADFALSE 13",
            "LOADK 14 13",
            "LOADK 15 14",
            "SETLIST 8 7 0",
            "GETFIELD 9 8 15",
            "GETFIELD 10 8 14",
            "SETFIELD 8 15 10",
            "SETFIELD 8 14 9",
            "LOADI 9 1",
            "ADDI 10 9 1",
            "MMBINI 9 1 6 0",
            "SETTABLE 8 9 16k",
            "MOVE 9 10",
            "GETTABUP 10 0 11",
            "LOADK 11 14",
            "SELF 11 11 17k",
            "LOADI 13 3",
            "CALL 11 3 2",
            "LEN 12 8",
            "EQI 12 0 0",
            "JMP 3",
            "LOADK 12 18",
            "TEST 12 1",
            "JMP 1",
            "LOADK 12 19",
            "CALL 10 3 1",
            "LOADI 10 0",
            "LTI 10 10 0",
            "JMP 6",
            "GETTABLE 11 8 10",
            "EQK 11 20 1",
            "JMP 3",
            "ADDI 10 10 1",
            "MMBINI 10 1 6 0",
            "JMP -8",
            "RETURN 11 1 1",
            "--",
            "VARARGPREP 2",
            "MOVE 2 0",
            "MOVE 3 1",
            "RETURN 2 3 3",
            "RETURN 2 1 3",
            "--",
            "NEWTABLE 1 0 0",
            "EXTRAARG 0",
            "LOADF 2 1",
            "SETTABLE 1 2 0k",
            "LOADK 2 1",
            "SETTABLE 1 2 2k",
            "SETI 1 0 3k",
            "RETURN1 1",
            "RETURN0",
            "--",
            "GETTABUP 0 0 0",
            "NEWTABLE 1 0 0",
            "EXTRAARG 0",
            "GETTABUP 2 0 1",
            "CALL 0 3 2",
            "TBC 0",
            "GETTABUP 1 0 2",
            "MOVE 2 0",
            "CALL 1 2 0",
            "RETURN 1 0 0k",
            "RETURN 1 1 0k",
            "--",
            "VARARGPREP 0",
            "VARARG 0 3",
            "CLOSURE 2 0",
            "RETURN 2 2 1k",
            "RETURN 2 1 1k",
            "--",
            "VARARGPREP 0",
            "GETUPVAL 0 0",
            "GETUPVAL 1 1",
            "VARARG 2 0",
            "RETURN 0 0 1",
            "RETURN 0 1 1",
        ],
    );
}

#[test]
fn luac_program() {
    check(
        r##"local Account = {}
Account.__index = Account
function Account.new(balance)
  local self = setmetatable({}, Account)
  self.balance = balance or 0
  return self
end
function Account:deposit(v)
  if v <= 0 then error("invalid amount: " .. tostring(v), 2) end
  self.balance = self.balance + v
end
function Account:withdraw(v)
  if v > self.balance then
    return nil, "insufficient funds"
  elseif v < 0 then
    return false
  end
  self.balance = self.balance - v
  return true
end
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local memo = setmetatable({}, {__mode = "k"})
local function map(t, f)
  local r = {}
  for i, v in ipairs(t) do r[i] = f(v) end
  return r
end
local squares = map({1, 2, 3}, function(x) return x * x end)
local s = table.concat(squares, ", ")
print(string.format("%d %s", fib(10), s))
local co = coroutine.wrap(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
local ok, err = pcall(function() local x = nil; return x.y end)
local bits = (0xff & ~0x0f) | (1 << 4) ~ 3 >> 1
local str = [[
multi
line]]
goto skip
do print("never") end
::skip::
local t = {[1]=1, [2]=2, n=2, [f()]=g(), h(), ...}
local a = t.n // 2 % 3 ^ 2 / 4
local q = not not a
local r = a == a and a ~= nil or a < 0
return t, a, q, r
"##,
        &[
            "--",
            "VARARGPREP 0",
            "NEWTABLE 0 0 0",
            "EXTRAARG 0",
            "SETFIELD 0 0 0",
            "CLOSURE 1 0",
            "SETFIELD 0 1 1",
            "CLOSURE 1 1",
            "SETFIELD 0 2 1",
            "CLOSURE 1 2",
            "SETFIELD 0 3 1",
            "CLOSURE 1 3",
            "GETTABUP 2 0 4",
            "NEWTABLE 3 0 0",
            "EXTRAARG 0",
            "NEWTABLE 4 1 0",
            "EXTRAARG 0",
            "SETFIELD 4 5 6k",
            "CALL 2 3 2",
            "CLOSURE 3 4",
            "MOVE 4 3",
            "NEWTABLE 5 0 3",
            "EXTRAARG 0",
            "LOADI 6 1",
            "LOADI 7 2",
            "LOADI 8 3",
            "SETLIST 5 3 0",
            "CLOSURE 6 5",
            "CALL 4 3 2",
            "GETTABUP 5 0 7",
            "GETFIELD 5 5 8",
            "MOVE 6 4",
            "LOADK 7 9",
            "CALL 5 3 2",
            "GETTABUP 6 0 10",
            "GETTABUP 7 0 11",
            "GETFIELD 7 7 12",
            "LOADK 8 13",
            "MOVE 9 1",
            "LOADI 10 10",
            "CALL 9 2 2",
            "MOVE 10 5",
            "CALL 7 4 0",
            "CALL 6 0 1",
            "GETTABUP 6 0 14",
            "GETFIELD 6 6 15",
            "CLOSURE 7 6",
            "CALL 6 2 2",
            "GETTABUP 7 0 16",
            "CLOSURE 8 7",
            "CALL 7 2 3",
            "LOADI 9 241",
            "LOADK 10 17",
            "JMP 3",
            "GETTABUP 11 0 10",
            "LOADK 12 18",
            "CALL 11 2 1",
            "NEWTABLE 11 3 1",
            "EXTRAARG 0",
            "SETI 11 1 19k",
            "SETI 11 2 20k",
            "SETFIELD 11 21 20k",
            "GETTABUP 12 0 22",
            "CALL 12 1 2",
            "GETTABUP 13 0 23",
            "CALL 13 1 2",
            "SETTABLE 11 12 13",
            "GETTABUP 12 0 24",
            "CALL 12 1 2",
            "VARARG 13 0",
            "SETLIST 11 0 0",
            "GETFIELD 12 11 21",
            "IDIVK 12 12 20",
            "MMBINK 12 20 12 0",
            "MODK 12 12 25",
            "MMBINK 12 25 9 0",
            "DIVK 12 12 26",
            "MMBINK 12 26 11 0",
            "NOT 13 12",
            "NOT 13 13",
            "EQ 12 12 0",
            "JMP 2",
            "EQK 12 27 0",
            "JMP 3",
            "LTI 12 0 1",
            "JMP 1",
            "LFALSESKIP 14",
            "LOADTRUE 14",
            "MOVE 15 11",
            "MOVE 16 12",
            "MOVE 17 13",
            "MOVE 18 14",
            "RETURN 15 5 1k",
            "RETURN 15 1 1k",
            "--",
            "GETTABUP 1 0 0",
            "NEWTABLE 2 0 0",
            "EXTRAARG 0",
            "GETUPVAL 3 1",
            "CALL 1 3 2",
            "TESTSET 2 0 1",
            "JMP 1",
            "LOADI 2 0",
            "SETFIELD 1 1 2",
            "RETURN1 1",
            "RETURN0",
            "--",
            "LEI 1 0 0",
            "JMP 8",
            "GETTABUP 2 0 0",
            "LOADK 3 1",
            "GETTABUP 4 0 2",
            "MOVE 5 1",
            "CALL 4 2 2",
            "CONCAT 3 2",
            "LOADI 4 2",
            "CALL 2 3 1",
            "GETFIELD 2 0 3",
            "ADD 2 2 1",
            "MMBIN 2 1 6",
            "SETFIELD 0 3 2",
            "RETURN0",
            "--",
            "GETFIELD 2 0 0",
            "LT 2 1 0",
            "JMP 4",
            "LOADNIL 2 0",
            "LOADK 3 1",
            "RETURN 2 3 0",
            "JMP 4",
            "LTI 1 0 0",
            "JMP 2",
            "LOADFALSE 2",
            "RETURN1 2",
            "GETFIELD 2 0 0",
            "SUB 2 2 1",
            "MMBIN 2 1 7",
            "SETFIELD 0 0 2",
            "LOADTRUE 2",
            "RETURN1 2",
            "RETURN0",
            "--",
            "LTI 0 2 0",
            "JMP 1",
            "RETURN1 0",
            "GETUPVAL 1 0",
            "ADDI 2 0 -1",
            "MMBINI 0 1 7 0",
            "CALL 1 2 2",
            "GETUPVAL 2 0",
            "ADDI 3 0 -2",
            "MMBINI 0 2 7 0",
            "CALL 2 2 2",
            "ADD 1 1 2",
            "MMBIN 1 2 6",
            "RETURN1 1",
            "RETURN0",
            "--",
            "NEWTABLE 2 0 0",
            "EXTRAARG 0",
            "GETTABUP 3 0 0",
            "MOVE 4 0",
            "CALL 3 2 5",
            "TFORPREP 3 4",
            "MOVE 9 1",
            "MOVE 10 8",
            "CALL 9 2 2",
            "SETTABLE 2 7 9",
            "TFORCALL 3 2",
            "TFORLOOP 3 6",
            "CLOSE 3",
            "RETURN 2 2 0k",
            "RETURN 3 1 0k",
            "--",
            "MUL 1 0 0",
            "MMBIN 0 0 8",
            "RETURN1 1",
            "RETURN0",
            "--",
            "GETTABUP 2 0 0",
            "GETFIELD 2 2 1",
            "ADD 3 0 1",
            "MMBIN 0 1 6",
            "CALL 2 2 2",
            "GETTABUP 3 0 0",
            "GETFIELD 3 3 1",
            "MULK 4 2 2",
            "MMBINK 2 2 8 0",
            "CALL 3 2 3",
            "ADD 5 3 4",
            "MMBIN 3 4 6",
            "RETURN1 5",
            "RETURN0",
            "--",
            "LOADNIL 0 0",
            "GETFIELD 1 0 0",
            "RETURN1 1",
            "RETURN0",
        ],
    );
}

#[test]
fn luac_table_keys_free_registers() {
    check(
        r##"local t = {[f()] = g(), h(), x = k(), ...}
return t
"##,
        &[
            "--",
            "VARARGPREP 0",
            "NEWTABLE 0 2 1",
            "EXTRAARG 0",
            "GETTABUP 1 0 0",
            "CALL 1 1 2",
            "GETTABUP 2 0 1",
            "CALL 2 1 2",
            "SETTABLE 0 1 2",
            "GETTABUP 1 0 2",
            "CALL 1 1 2",
            "GETTABUP 2 0 4",
            "CALL 2 1 2",
            "SETFIELD 0 3 2",
            "VARARG 2 0",
            "SETLIST 0 0 0",
            "RETURN 0 2 1",
            "RETURN 1 1 1",
        ],
    );
}
