//! GC pause benchmark (not a test): builds a large live heap of tables and strings, then
//! allocates garbage steadily, one simulated 16 ms frame at a time, stepping the
//! incremental collector once per frame with a fixed amount of work. Prints the longest
//! step and the 99th percentile (wall clock, and thread CPU time, which leaves out the
//! scheduler's preemption on a busy machine) and the heap overhead (peak bytes accounted
//! by the VM / live bytes after a full collection).
//!
//!     cargo run --release -p selenite --example gc_pause [live_MB=200] [frames=1500] [work=20000]

use selenite::{Value, Vm};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let live_mb: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let frames: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1500);
    let work: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let mut vm = Vm::new();
    selenite::stdlib::open_safe(&mut vm);
    let setup = format!(
        r#"
        live = {{}}
        local target = {live_mb} * 1024 * 1024
        local i = 0
        while collectgarbage("count") * 1024 < target do
          i = i + 1
          live[i] = {{ name = "entity" .. i, pos = {{ x = i, y = -i }}, tags = {{ "a", "b" }} }}
        end
        function frame(n)
          local garbage
          for j = 1, 2000 do
            garbage = {{ j, tostring(j) .. "x", {{ n }} }}
          end
          -- replace a slice of the live set so old objects die too
          for j = 1, 50 do
            local k = (n * 50 + j) % #live + 1
            live[k] = {{ name = "entity" .. k, pos = {{ x = k, y = n }}, tags = {{}} }}
          end
          return garbage
        end
    "#
    );
    let f = vm.load(setup.as_bytes(), "=gc_pause")?;
    let t0 = std::time::Instant::now();
    vm.call_function(f, &[])?;
    let build = t0.elapsed();
    vm.collect_garbage();
    let live_bytes = vm.heap.bytes();
    let frame_fn = vm.get_global("frame");
    // The host drives the collector: one step of `work` units after each frame's script,
    // as the Bevy plugin does with leftover frame time. Pacing by allocation is off.
    vm.heap.running = false;
    let mut steps = Vec::with_capacity(frames);
    let mut cpu_steps = Vec::with_capacity(frames);
    let mut peak_bytes = 0usize;
    let mut cycles = 0;
    let mut gc_total = std::time::Duration::ZERO;
    vm.heap.stats = Default::default();
    let start = std::time::Instant::now();
    for n in 0..frames {
        vm.call_function(frame_fn, &[Value::Int(n as i64)])?;
        peak_bytes = peak_bytes.max(vm.heap.bytes());
        let (t0, c0) = (std::time::Instant::now(), thread_cpu_time());
        if vm.gc_step(work) {
            cycles += 1;
        }
        let (wall, cpu) = (t0.elapsed(), thread_cpu_time() - c0);
        gc_total += wall;
        steps.push(wall);
        cpu_steps.push(cpu);
    }
    let elapsed = start.elapsed();
    steps.sort();
    cpu_steps.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    let pct = |v: &[std::time::Duration], p: usize| v[(v.len() * p / 100).min(v.len() - 1)];
    println!(
        "live heap:        {:.1} MB (built in {:.2} s)",
        live_bytes as f64 / 1048576.0,
        build.as_secs_f64()
    );
    println!(
        "frames:           {frames}, one step of {work} units each; {:.2} ms of script+GC per frame",
        ms(elapsed) / frames as f64
    );
    println!(
        "GC step, wall:    longest {:.3} ms, p99 {:.3} ms, median {:.3} ms",
        ms(steps[steps.len() - 1]),
        ms(pct(&steps, 99)),
        ms(pct(&steps, 50))
    );
    println!(
        "GC step, CPU:     longest {:.3} ms, p99 {:.3} ms (thread CPU time: without preemption)",
        ms(cpu_steps[cpu_steps.len() - 1]),
        ms(pct(&cpu_steps, 99))
    );
    println!(
        "GC cycles:        {cycles} completed, total GC {:.1} ms",
        ms(gc_total)
    );
    let st = vm.heap.stats;
    println!(
        "longest by kind:  mark {:.3} ms, atomic {:.3} ms, sweep {:.3} ms (wall)",
        ms(st.longest_mark),
        ms(st.longest_atomic),
        ms(st.longest_sweep)
    );
    println!(
        "heap overhead:    peak {:.1} MB / live {:.1} MB = {:.2}x",
        peak_bytes as f64 / 1048576.0,
        live_bytes as f64 / 1048576.0,
        peak_bytes as f64 / live_bytes as f64
    );
    Ok(())
}

/// CPU time of the calling thread.
fn thread_cpu_time() -> std::time::Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    std::time::Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
