//! Helpers shared by the integration tests: run the real binary, read output
//! trees, compare snapshots.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `storypath` with `args` from the repository root.
pub fn storypath(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_storypath")).args(args).current_dir(repo()).output().expect("run storypath")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Builds `root` into a fresh temporary folder and returns it (kept alive by the TempDir).
pub fn build(root: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let mut args = vec!["build", "--root", root.to_str().unwrap(), "--output-dir", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = storypath(&args);
    assert!(o.status.success(), "build of {} failed:\n{}", root.display(), stderr(&o));
    (tmp, out)
}

/// Every HTML file under `out`: (relative path, text), sorted by path.
pub fn html_files_of(out: &Path) -> Vec<(String, String)> {
    tree(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// Every file under `dir`, relative path -> bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// Every value of `attr="..."` in `html`, in order.
#[allow(dead_code)]
pub fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Compares `actual` with the snapshot file; `STORYPATH_BLESS=1` rewrites it.
pub fn snapshot(path: &Path, actual: &str) {
    if std::env::var_os("STORYPATH_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|_| panic!("missing snapshot {}; run with STORYPATH_BLESS=1 to create it", path.display()));
    if expected != actual {
        panic!(
            "snapshot {} differs (run with STORYPATH_BLESS=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}

pub mod browser;
pub mod fuzz;
pub mod http;
pub mod ladders;
pub mod server;
pub mod static_files;

/// Copies the files of a site (site.toml, content/, static/, templates/,
/// themes/ when present) from `from` into `to`.
/// The demo site copied into a temporary folder with `theme = "<theme>"`.
pub fn demo_with_theme(theme: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&repo(), tmp.path());
    let toml = tmp.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(text.contains("theme = \"horizon\""));
    std::fs::write(&toml, text.replace("theme = \"horizon\"", &format!("theme = \"{theme}\""))).unwrap();
    tmp
}

/// The built-in themes, each checked like the default.
pub const THEMES: &[&str] = &["horizon", "compact"];

pub fn copy_site(from: &Path, to: &Path) {
    for name in ["site.toml", "content", "static", "templates", "i18n"] {
        let src = from.join(name);
        if !src.exists() {
            continue;
        }
        for e in walkdir::WalkDir::new(&src) {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(from).unwrap();
            if e.file_type().is_dir() {
                std::fs::create_dir_all(to.join(rel)).unwrap();
            } else {
                std::fs::create_dir_all(to.join(rel).parent().unwrap()).unwrap();
                std::fs::copy(e.path(), to.join(rel)).unwrap();
            }
        }
    }
}

/// Runs `cmd` with stdout and stderr captured; a run still going after
/// `limit` is killed and fails the test (a hang is a bug, not a slow test).
pub fn run_with_timeout(cmd: &mut Command, limit: std::time::Duration) -> Output {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("storypath still running after {limit:?}: it hangs");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() }
}

/// tests/browser/ with `package` (a Node package of its package.json) in
/// its node_modules, installed with `npm ci` when missing. For the tools
/// that need Node.js only, not Chromium (see `browser::node_packages`).
pub fn npm_package(package: &str) -> PathBuf {
    let dir = repo().join("tests/browser");
    if !dir.join("node_modules").join(package).is_dir() {
        let ok = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).status();
        assert!(matches!(ok, Ok(s) if s.success()), "npm ci in tests/browser failed; Node.js and npm are needed: run ./test, which installs every tool the tests need");
    }
    dir
}
