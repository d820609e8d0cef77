//! Spawn benchmark (`make bench`): microseconds per spawn + wait of
//! /bin/true through sched_clone's `Command`, std's `Command` and libc's
//! `posix_spawn`, interleaved in one process over several rounds; prints
//! each median (min..max) and the ratios. SPAWN_BENCH_N spawns per round
//! per method (default 500), SPAWN_BENCH_ROUNDS rounds (default 5).

use std::time::Instant;

fn posix_spawn_true() {
    let path = c"/bin/true";
    let argv = [path.as_ptr().cast_mut(), std::ptr::null_mut()];
    let mut pid = 0;
    unsafe extern "C" {
        static environ: *const *mut libc::c_char;
    }
    // SAFETY: valid path, argv and environment; default attributes.
    let r = unsafe {
        libc::posix_spawn(
            &mut pid,
            path.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            argv.as_ptr(),
            environ,
        )
    };
    assert_eq!(r, 0, "posix_spawn");
    let mut status = 0;
    // SAFETY: our child; a valid status slot.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
}

fn main() {
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (n, rounds) = (env("SPAWN_BENCH_N", 500), env("SPAWN_BENCH_ROUNDS", 5));
    type Method = (&'static str, fn());
    let methods: [Method; 3] = [
        ("sched_clone::Command", || {
            assert!(
                sched_clone::Command::new("/bin/true")
                    .status()
                    .unwrap()
                    .success()
            )
        }),
        ("std::process::Command", || {
            assert!(
                std::process::Command::new("/bin/true")
                    .status()
                    .unwrap()
                    .success()
            )
        }),
        ("posix_spawn (glibc)", posix_spawn_true),
    ];
    let mut us: Vec<Vec<f64>> = vec![Vec::new(); methods.len()];
    for _ in 0..rounds {
        for (i, (_, f)) in methods.iter().enumerate() {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            us[i].push(t.elapsed().as_secs_f64() * 1e6 / n as f64);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "spawn + wait of /bin/true, {n} per round, {rounds} rounds, {} CPUs",
        std::thread::available_parallelism().map_or(0, |p| p.get())
    );
    println!(
        "{:<24} {:>22} {:>10}",
        "method", "us/spawn median (min..max)", "vs ours"
    );
    let ours = median(&mut us[0].clone());
    for (i, (name, _)) in methods.iter().enumerate() {
        let m = median(&mut us[i]);
        let (lo, hi) = (us[i][0], us[i][us[i].len() - 1]);
        println!("{name:<24} {m:>8.1} ({lo:.1}..{hi:.1}) {:>10.3}", m / ours);
    }
}
