//! The one check that needs a real browser for `serve`: an open page reloads
//! by itself after a save. Drives Debian's headless Chromium with
//! playwright-core (tests/browser/); `.ci/run` installs both.

mod common;

use common::server::Server;
use common::{copy_site, repo};
use std::path::Path;
use std::process::Command;

/// Installs the Node packages of tests/browser/ when they are missing.
fn node_packages() -> std::path::PathBuf {
    let dir = repo().join("tests/browser");
    if !dir.join("node_modules/playwright-core").is_dir() {
        let ok = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).status();
        assert!(matches!(ok, Ok(s) if s.success()), "npm ci in tests/browser failed; Node.js and npm are needed");
    }
    assert!(
        Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some(),
        "Chromium is needed: apt-get install chromium (as .ci/run does), or set CHROMIUM to its path"
    );
    dir
}

#[test]
fn an_open_page_reloads_by_itself_after_a_save() {
    let dir = node_packages();
    let site = tempfile::tempdir().unwrap();
    copy_site(&repo(), site.path());
    let server = Server::start(site.path(), &[]);
    let story = site.path().join("content/stories/ada-okafor.md");
    let out = Command::new("node")
        .arg(dir.join("reload.mjs"))
        .arg(format!("{}stories/ada-okafor/", server.url))
        .arg(&story)
        .args(["dinner table", "reloaded table"])
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the page did not reload:\n{stdout}\n{}\nserver:\n{}",
        String::from_utf8_lossy(&out.stderr),
        server.stderr()
    );
    assert!(stdout.contains("reloaded_after_ms"), "{stdout}");
    eprintln!("browser reload: {stdout}");
}
