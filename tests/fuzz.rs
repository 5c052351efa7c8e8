//! Fuzzing, in-process (no nightly toolchain needed): three targets, each fed
//! seeded mutations of real inputs under `catch_unwind`.
//!
//! - `story`: the front-matter splitter and the story parser, and the error
//!   report for what they find (spans must land on the text);
//! - `ladder`: the ladder parser and its report;
//! - `pipeline`: load, validate, model and render of a whole site with one
//!   story mutated (in memory, through `serve`'s `Session`).
//!
//! `cargo test` runs each for a bounded number of inputs with a fixed seed,
//! and every input in `tests/fuzz/<target>/` (crashes found earlier, kept as
//! regression tests). `STORYPATH_FUZZ_SECONDS=600 cargo test --release --test
//! fuzz -- --nocapture` runs each target for that long with a seed from the
//! clock and writes any crashing input to `tests/fuzz/<target>/`
//! (docs/robustness.md records the runs).

mod common;

use common::fuzz::{mutate, Rng};
use common::repo;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use storypath::diagnostics::{Diagnostic, Sources};

/// The error report must render (spans inside the text, on char boundaries).
fn report(file: &str, text: &str, errors: &[Diagnostic]) {
    let mut sources = Sources::default();
    sources.add(file, text);
    let out = sources.render(errors);
    assert!(errors.is_empty() || out.contains("error"), "{out}");
}

fn story(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let file = "content/stories/fuzz.md";
    let mut errors = Vec::new();
    let _ = storypath::load::frontmatter::split(file, &text);
    let _ = storypath::load::story::parse(file, &text, &mut errors);
    report(file, &text, &errors);
}

fn ladder(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut errors = Vec::new();
    let _ = storypath::load::ladder::parse(&text, &mut errors);
    report(storypath::load::ladder::FILE, &text, &errors);
}

/// A copy of tests/sites/small whose story `bo.md` each input replaces.
struct PipelineSite {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl PipelineSite {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        common::copy_site(&repo().join("tests/sites/small"), &root);
        PipelineSite { _tmp: tmp, root }
    }

    fn run(&self, bytes: &[u8]) {
        std::fs::write(self.root.join("content/stories/bo.md"), bytes).unwrap();
        let opts = storypath::pipeline::Options { root: self.root.clone(), ..Default::default() };
        if let Err(f) = storypath::pipeline::Session::default().run(&opts, &Default::default()) {
            let report = f.report();
            assert!(report.contains("--> ") || report.contains("= in "), "an error names no file:\n{report}");
        }
    }
}

/// The inputs a target starts from: real files of the test sites.
fn corpus(target: &str) -> Vec<Vec<u8>> {
    let files: Vec<PathBuf> = match target {
        "ladder" => ["tests/sites/small/content/ladder.toml", "content/ladder.toml"].map(|p| repo().join(p)).to_vec(),
        _ => {
            let mut v: Vec<PathBuf> = [
                "tests/sites/small/content/stories",
                "content/stories",
                "tests/sites/edge-cases/content/stories",
                "tests/sites/video/content/stories",
            ]
            .iter()
            .flat_map(|d| std::fs::read_dir(repo().join(d)).unwrap().map(|e| e.unwrap().path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
            v.sort();
            v
        }
    };
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Inputs that once made a target panic (`tests/fuzz/<target>/`).
fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = repo().join("tests/fuzz").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut v: Vec<_> = entries.map(|e| e.unwrap().path()).map(|p| (p.clone(), std::fs::read(p).unwrap())).collect();
    v.sort();
    v
}

/// Runs `target` on every regression input, then on mutations: `budget`
/// inputs, or for `STORYPATH_FUZZ_SECONDS` when set. Returns the number of
/// inputs run; panics with every crashing input (saved under tests/fuzz/
/// in a timed run).
fn fuzz(target: &str, budget: usize, seed: u64, check: &dyn Fn(&[u8])) -> usize {
    let timed: Option<u64> = std::env::var("STORYPATH_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok());
    let seed = if timed.is_some() {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    } else {
        seed
    };
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut crashes: Vec<(String, Vec<u8>)> = Vec::new();
    let attempt = |bytes: &[u8], label: String, crashes: &mut Vec<(String, Vec<u8>)>| {
        if let Err(e) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(bytes))) {
            let msg = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
            crashes.push((format!("{label}: {}", msg.unwrap_or_default()), bytes.to_vec()));
        }
    };
    for (path, bytes) in regressions(target) {
        attempt(&bytes, path.display().to_string(), &mut crashes);
    }
    let corpus = corpus(target);
    let mut rng = Rng(seed);
    let deadline = timed.map(|s| Instant::now() + Duration::from_secs(s));
    let mut runs = 0;
    while deadline.map_or(runs < budget, |d| Instant::now() < d) {
        let input = &corpus[rng.below(corpus.len())];
        let other = &corpus[rng.below(corpus.len())];
        let mut bytes = mutate(&mut rng, input, other);
        // Now and then, build on a mutation: deeper changes.
        if rng.below(4) == 0 {
            bytes = mutate(&mut rng, &bytes, other);
        }
        attempt(&bytes, format!("seed {seed:#x}, input {runs}"), &mut crashes);
        runs += 1;
    }
    std::panic::set_hook(quiet);
    if timed.is_some() {
        save(target, &crashes);
        eprintln!("fuzz {target}: {runs} inputs in {}s, seed {seed:#x}, {} crashes", timed.unwrap_or(0), crashes.len());
    }
    let list: Vec<String> =
        crashes.iter().map(|(l, b)| format!("{l}\n  input: {:?}", String::from_utf8_lossy(b))).collect();
    assert!(crashes.is_empty(), "{target} panicked on {} inputs:\n{}", crashes.len(), list.join("\n"));
    runs
}

/// Keeps crashing inputs as regression tests, named by their content.
fn save(target: &str, crashes: &[(String, Vec<u8>)]) {
    let dir: &Path = &repo().join("tests/fuzz").join(target);
    for (_, bytes) in crashes {
        std::fs::create_dir_all(dir).unwrap();
        let name = format!("crash-{:016x}", storypath::text::fingerprint(bytes));
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
fn fuzz_story_parser() {
    assert!(fuzz("story", 20_000, 0x5eed_f001, &story) > 0);
}

#[test]
fn fuzz_ladder_parser() {
    assert!(fuzz("ladder", 20_000, 0x5eed_f002, &ladder) > 0);
}

#[test]
fn fuzz_whole_pipeline_on_a_mutated_story() {
    let site = PipelineSite::new();
    assert!(fuzz("pipeline", 150, 0x5eed_f003, &|b| site.run(b)) > 0);
}
