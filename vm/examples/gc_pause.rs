//! GC pause benchmark (not a test): builds a large live heap of tables and strings, then
//! allocates garbage steadily, one simulated 16 ms frame at a time, while the incremental
//! collector runs paced by allocation. Prints the longest collector step, the 99th
//! percentile of the per-frame longest step, and the heap overhead (bytes accounted by
//! the VM / live bytes after a full collection).
//!
//!     cargo run --release -p selenite --example gc_pause [live_megabytes] [frames]

use selenite::{Value, Vm};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let live_mb: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let frames: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(300);
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
    let mut per_frame = Vec::with_capacity(frames);
    let mut peak_bytes = 0usize;
    vm.heap.stats = Default::default();
    let start = std::time::Instant::now();
    for n in 0..frames {
        vm.heap.stats.longest_step = Default::default();
        vm.call_function(frame_fn, &[Value::Int(n as i64)])?;
        per_frame.push(vm.heap.stats.longest_step);
        peak_bytes = peak_bytes.max(vm.heap.bytes());
    }
    let elapsed = start.elapsed();
    per_frame.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    let longest = per_frame.last().copied().unwrap_or_default();
    let p99 = per_frame[(per_frame.len() * 99 / 100).min(per_frame.len() - 1)];
    println!(
        "live heap:        {:.1} MB (built in {:.2} s)",
        live_bytes as f64 / 1048576.0,
        build.as_secs_f64()
    );
    println!(
        "frames:           {frames}, {:.2} ms of script+GC per frame on average",
        ms(elapsed) / frames as f64
    );
    println!("longest GC step:  {:.3} ms", ms(longest));
    println!("p99 frame's longest step: {:.3} ms", ms(p99));
    println!(
        "GC cycles:        {}, steps {}, total GC {:.1} ms",
        vm.heap.stats.cycles,
        vm.heap.stats.steps,
        ms(vm.heap.stats.total)
    );
    println!(
        "heap overhead:    peak {:.1} MB / live {:.1} MB = {:.2}x",
        peak_bytes as f64 / 1048576.0,
        live_bytes as f64 / 1048576.0,
        peak_bytes as f64 / live_bytes as f64
    );
    let st = vm.heap.stats;
    println!(
        "longest by kind:  mark {:.3} ms, atomic {:.3} ms, sweep {:.3} ms",
        ms(st.longest_mark),
        ms(st.longest_atomic),
        ms(st.longest_sweep)
    );
    Ok(())
}
