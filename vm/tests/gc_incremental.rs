//! The incremental collector driven by the host, one bounded step at a time, while the
//! script keeps storing new objects into live tables between steps (as a game does): every
//! cycle must still finish, and the heap must stay bounded.

use selenite::{Value, Vm};

#[test]
fn cycles_finish_while_the_mutator_keeps_graying_objects() {
    let mut vm = Vm::new();
    selenite::stdlib::open_safe(&mut vm);
    let setup = br#"
        live = {}
        for i = 1, 20000 do live[i] = { name = "e" .. i, pos = { x = i } } end
        function frame(n)
          for j = 1, 200 do
            local k = (n * 200 + j) % #live + 1
            live[k] = { name = "e" .. k, pos = { x = n } }   -- old entries become garbage
          end
        end
    "#;
    let f = vm.load(setup, "=setup").expect("load");
    vm.call_function(f, &[]).expect("setup");
    vm.collect_garbage();
    let live = vm.heap.bytes();
    vm.heap.running = false;
    let frame = vm.get_global("frame");
    let mut cycles = 0;
    let mut peak = 0;
    for n in 0..3000 {
        vm.call_function(frame, &[Value::Int(n)]).expect("frame");
        if vm.gc_step(10_000) {
            cycles += 1;
        }
        peak = peak.max(vm.heap.bytes());
    }
    // Each frame grays 200 new tables; a step of 10,000 units still gets to the atomic
    // phase, so many cycles complete and the garbage is reclaimed.
    assert!(cycles >= 3, "only {cycles} cycles completed in 3000 steps");
    assert!(
        peak < live * 4,
        "heap grew to {peak} bytes from {live} live bytes"
    );
}

#[test]
fn dead_small_tables_are_pooled_by_steps_and_freed_by_a_full_collection() {
    let mut vm = Vm::new();
    selenite::stdlib::open_safe(&mut vm);
    let f = vm
        .load(
            b"junk = {} for i = 1, 50000 do junk[i] = {i, i} end junk = nil",
            "=junk",
        )
        .expect("load");
    vm.call_function(f, &[]).expect("run");
    // Paced steps finish cycles (the first may have started while `junk` was alive): the
    // dead pairs go to the pool, not to the allocator.
    vm.heap.running = false;
    let mut finished = 0;
    for _ in 0..10_000 {
        if vm.gc_step(50_000) {
            finished += 1;
            if finished == 2 {
                break;
            }
        }
    }
    assert_eq!(finished, 2, "cycles did not finish");
    assert!(
        vm.heap.pooled_tables() > 1000,
        "{}",
        vm.heap.pooled_tables()
    );
    // A full collection gives the memory back.
    vm.collect_garbage();
    assert_eq!(vm.heap.pooled_tables(), 0);
}
