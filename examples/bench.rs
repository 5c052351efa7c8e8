//! Benchmark: generates a synthetic careers site of N stories (deterministic,
//! fixed seed) and builds it through the real pipeline, printing wall time,
//! stories per second and peak memory; then serves it (`serve`'s own code,
//! in-process, on a free port) and times save-to-reload: from writing a
//! one-story edit to the answer of the reload poll a page's script waits on.
//! The demo site at the repository root is timed the same way.
//!
//!     cargo run --release --example bench -- 1000 5000
//!
//! Figures are recorded in docs/performance.md. Compare ratios within one run:
//! the machine is noisy.

#[path = "../tests/common/http.rs"]
#[allow(dead_code)]
mod http;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;
use storypath::pipeline::{self, Options};

/// xorshift: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const TRACKS: usize = 8;
const ROLES_PER_TRACK: usize = 6;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// 48 roles over 8 tracks, levels 1-6, each moving up its track and across.
fn ladder() -> String {
    let mut s = String::new();
    for t in 0..TRACKS {
        let _ = writeln!(s, "[[track]]\nid = \"t{t}\"\nname = \"Track {t}\"\n");
    }
    for t in 0..TRACKS {
        for l in 0..ROLES_PER_TRACK {
            let up = if l + 1 < ROLES_PER_TRACK { format!("\"r{t}-{}\", ", l + 1) } else { String::new() };
            let _ = writeln!(
                s,
                "[[role]]\nid = \"r{t}-{l}\"\ntitle = \"Role {l} of track {t}\"\ntrack = \"t{t}\"\nlevel = {}\nsummary = \"Does the work of level {} in track {t}.\"\nskills = [\"Skill A\", \"Skill B\"]\nnext = [{up}\"r{}-{l}\"]\npay = {{ min = {}, max = {}, currency = \"USD\" }}\n",
                l + 1,
                l + 1,
                (t + 1) % TRACKS,
                30000 + l * 10000,
                38000 + l * 10000
            );
        }
    }
    s
}

fn body(rng: &mut Rng) -> String {
    let mut b = String::from("## How did you get into the industry?\n\n");
    for p in 0..3 + rng.below(6) {
        b.push_str(
            "I started on the phones and learned something every day. The people around me made the difference, ",
        );
        b.push_str("and the [open roles](https://jobs.example.org/) kept me curious about what came next.\n\n");
        if p == 1 {
            b.push_str("## What I do now\n\n- forecasting\n- coaching\n- *reporting*\n\n| Year | Role |\n|---|---|\n| 2015 | Agent |\n| 2020 | Lead |\n\n");
        }
    }
    b
}

fn generate(root: &Path, n: usize) {
    let _ = std::fs::remove_dir_all(root);
    write(&root.join("site.toml"), "title = \"Bench careers\"\nbase_url = \"https://example.org/careers/\"\n");
    write(&root.join("content/ladder.toml"), &ladder());
    let mut rng = Rng(0x5eed);
    for i in 0..n {
        let steps = 1 + rng.below(6);
        let (mut t, mut l) = (rng.below(TRACKS), 0usize);
        let mut path = Vec::new();
        if rng.below(3) == 0 {
            path.push(format!("{{ outside = \"Outside job {}\", from = 2000 }}", rng.below(25)));
        }
        for k in 0..steps {
            path.push(format!("{{ role = \"r{t}-{l}\", from = {} }}", 2001 + k * 2));
            if rng.below(4) == 0 {
                t = (t + 1) % TRACKS;
            } else {
                l = (l + 1).min(ROLES_PER_TRACK - 1);
            }
        }
        let role = path.last().unwrap().split('"').nth(1).unwrap().to_string();
        // Every tenth story is the child of the one before: families; every
        // seventh has a mentor: mentor chains.
        let mut rel = String::new();
        if i % 10 == 1 {
            let _ = writeln!(rel, "parents = [\"s{}\"]", i - 1);
        }
        if i % 7 == 3 {
            let _ = writeln!(rel, "mentors = [\"s{}\"]", i - 3);
        }
        let text = format!(
            "+++\ntitle = \"Story number {i}\"\nname = \"Person {i}\"\ndate = {}-{:02}-{:02}\nrole = \"{role}\"\norigin = \"Origin {}\"\ntags = [\"tag-{}\", \"tag-{}\"]\npath = [{}]\n[relations]\n{rel}+++\n{}",
            2015 + rng.below(10),
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(8),
            rng.below(30),
            rng.below(30),
            path.join(", "),
            body(&mut rng)
        );
        write(&root.join(format!("content/stories/s{i}.md")), &text);
    }
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Median milliseconds from saving a one-story edit to the reload poll's
/// answer, over `rounds` edits of `story` (relative to `root`).
fn reload_ms(root: &Path, story: &str, rounds: usize) -> f64 {
    use storypath::serve;
    let opts = serve::ServeOptions {
        root: root.to_path_buf(),
        interface: std::net::Ipv4Addr::LOCALHOST.into(),
        port: Some(0),
        drafts: false,
        open: false,
    };
    let running = serve::start(&opts).unwrap_or_else(|e| panic!("serve: {e:?}"));
    let addr = running.url["http://".len()..].split('/').next().unwrap().to_string();
    let base = running.url[running.url.find(&addr).unwrap() + addr.len()..].to_string();
    let stopper = running.stopper();
    let loop_ = std::thread::spawn(move || running.run());
    let wait = std::time::Duration::from_secs(30);
    let path = root.join(story);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut times = Vec::new();
    for round in 0..rounds {
        let page = http::request(&addr, "GET", &base, wait).body;
        let at = page.find("data-storypath-reload=\"").expect("reload script") + 23;
        let version = page[at..].split('"').next().unwrap().to_string();
        let poll_addr = addr.clone();
        let poll = std::thread::spawn(move || {
            let r = http::request(&poll_addr, "GET", &format!("/__storypath/reload?since={version}"), wait);
            (Instant::now(), r)
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        let tmp = path.with_extension("md.tmp");
        std::fs::write(&tmp, format!("{original}\nEdit number {round}.\n")).unwrap();
        let saved = Instant::now();
        std::fs::rename(&tmp, &path).unwrap();
        let (answered, r) = poll.join().unwrap();
        assert_eq!(r.status, 200);
        times.push(answered.duration_since(saved).as_secs_f64() * 1000.0);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    std::fs::write(&path, original).unwrap();
    stopper.stop();
    let _ = loop_.join();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The demo site copied to a scratch folder (the benchmark edits it).
fn demo_copy(to: &Path) -> std::path::PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let _ = std::fs::remove_dir_all(to);
    for e in walkdir::WalkDir::new(repo.join("content")).into_iter().chain(walkdir::WalkDir::new(repo.join("static"))) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(repo).unwrap());
        if e.file_type().is_file() {
            write(&dest, &String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()));
        }
    }
    std::fs::copy(repo.join("site.toml"), to.join("site.toml")).unwrap();
    to.to_path_buf()
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1000] } else { sizes };
    let dir = std::env::temp_dir().join("storypath-bench");
    let demo = demo_copy(&dir.join("demo"));
    println!("demo site: save to reload {:.0} ms (median of 5)", reload_ms(&demo, "content/stories/ada-okafor.md", 5));
    println!(
        "{:>8} {:>10} {:>12} {:>12} {:>10} {:>10}",
        "stories", "check ms", "build ms", "stories/s", "peak MiB", "reload ms"
    );
    for n in sizes {
        let root = dir.join(format!("site-{n}"));
        generate(&root, n);
        let opts = Options { root: root.clone(), output_dir: Some(dir.join(format!("out-{n}"))), ..Default::default() };
        let t = Instant::now();
        pipeline::check(&opts, storypath::clock::today()).unwrap_or_else(|f| panic!("{}", f.report()));
        let check_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        pipeline::build(&opts).unwrap_or_else(|f| panic!("{}", f.report()));
        let build = t.elapsed().as_secs_f64();
        let peak = peak_rss_mib();
        let reload = reload_ms(&root, "content/stories/s0.md", 5);
        println!(
            "{n:>8} {check_ms:>10.0} {:>12.0} {:>12.0} {peak:>10.0} {reload:>10.0}",
            build * 1000.0,
            n as f64 / build,
        );
    }
}
