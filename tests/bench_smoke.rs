//! The benchmark (examples/bench.rs) is not part of `cargo test`, but a
//! tiny run of it is, so it cannot rot: it generates a site, builds it,
//! times the limit, Hugo (when installed), the map layout and serve's reload.

use std::path::PathBuf;
use std::process::Command;

fn bench_binary() -> PathBuf {
    // target/<profile>/deps/bench_smoke-<hash> -> target/<profile>/examples/bench
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap().to_path_buf();
    let bench = profile_dir.join("examples").join("bench");
    if !bench.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--example", "bench"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success(), "cargo build --example bench failed");
    }
    bench
}

#[test]
fn a_small_benchmark_run_completes() {
    let out = Command::new(bench_binary()).arg("--smoke").output().expect("run the benchmark");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("demo site: save to reload"), "{stdout}");
    let row = stdout.lines().find(|l| l.trim_start().starts_with("40 ")).unwrap_or_else(|| panic!("{stdout}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols.len(), 16, "{row}");
    let build: f64 = cols[2].parse().unwrap();
    assert!(build > 0.0, "{row}");
    let cpu: f64 = cols[3].parse().unwrap();
    assert!(cpu > 0.0, "the build's CPU time is read: {row}");
    let rebuild: f64 = cols[4].parse().unwrap();
    assert!(rebuild > 0.0, "{row}");
    // What the build wrote, and the mean story page (KiB).
    let (written, story): (f64, f64) = (cols[14].parse().unwrap(), cols[15].parse().unwrap());
    assert!(written > 0.0 && story > 1.0 && story < 30.0, "{row}");
    // The jobs bar's run: 50 openings, every one with its page.
    let jobs = stdout.lines().find(|l| l.contains("50 openings: warm build")).unwrap_or_else(|| panic!("{stdout}"));
    let pages: usize = jobs.split("; ").nth(1).and_then(|p| p.split(' ').next()?.parse().ok()).expect("jobs pages");
    assert!(pages > 50, "the index, 50 openings and the filters: {jobs}");
}
