//! Running the Node scripts of tests/browser/ (playwright-core or Lighthouse
//! driving Debian's headless Chromium) from a test.

use super::repo;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Installs the Node packages of tests/browser/ when they are missing, and
/// checks that Chromium is there.
pub fn node_packages() -> PathBuf {
    let dir = repo().join("tests/browser");
    let installed = ["node_modules/playwright-core", "node_modules/lighthouse"].iter().all(|p| dir.join(p).is_dir());
    if !installed || !dir.join(VNU).is_file() {
        let ok = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).status();
        assert!(matches!(ok, Ok(s) if s.success()), "npm ci in tests/browser failed; Node.js and npm are needed: run ./test, which installs every tool the tests need");
    }
    assert!(
        Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some(),
        "Chromium is missing: run ./test, which installs every tool the tests need (or set CHROMIUM to its path)"
    );
    dir
}

/// The current W3C Nu HTML checker, from the `vnu-jar` npm package.
const VNU: &str = "node_modules/vnu-jar/build/dist/vnu.jar";

/// Runs the Nu HTML checker (`vnu-jar`, on Java) over every HTML and SVG
/// file under `out`, and fails with what it found.
pub fn nu_check(out: &Path) {
    let jar = node_packages().join(VNU);
    let run = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--skip-non-html", "--also-check-svg", "--format", "text"])
        .arg(out)
        .output()
        .expect(
            "Java is missing (the Nu HTML checker runs on it): run ./test, which installs every tool the tests need",
        );
    let text = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(
        run.status.success() && !text.to_lowercase().contains("error:"),
        "the Nu HTML checker found errors in {}:\n{text}",
        out.display()
    );
}

/// Runs `tests/browser/<script>` with `args` and returns what it printed;
/// a failure (or ten minutes without an end) shows its output and
/// `context()` (a server's log, a theme).
pub fn node(script: &str, args: &[std::ffi::OsString], context: &dyn Fn() -> String) -> String {
    let dir = node_packages();
    // Bounded: a request left unanswered must fail the test, not hang CI.
    let out = Command::new("timeout")
        .args(["--kill-after=10", "600", "node"])
        .arg(dir.join(script))
        .args(args)
        .output()
        .expect("run node (under coreutils' timeout)");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script} failed:\n{stdout}\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        context()
    );
    stdout
}

/// [`node`], its output read as JSON.
pub fn node_json(script: &str, args: &[std::ffi::OsString], context: &str) -> serde_json::Value {
    let stdout = node(script, args, &|| context.to_string());
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{script}: {e}: {stdout}"))
}
