//! A failed or interrupted build never breaks the published site: the output
//! folder is the previous build or the new one, byte for byte, never a mix,
//! and no temporary folder is left beside it.

mod common;

use common::{copy_site, repo, stderr, tree};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn storypath() -> Command {
    Command::new(env!("CARGO_BIN_EXE_storypath"))
}

fn build(root: &Path, out: &Path) -> std::process::Output {
    storypath().args(["build", "-q", "--root"]).arg(root).arg("--output-dir").arg(out).output().unwrap()
}

/// Each file's path and a fingerprint of its bytes.
fn digest(out: &Path) -> BTreeMap<String, u64> {
    tree(out).into_iter().map(|(p, b)| (p, storypath::text::fingerprint(&b))).collect()
}

/// Folders a build leaves beside the output while it works.
fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains(".storypath-"))
        .collect()
}

#[test]
fn a_write_failure_midway_leaves_the_old_output_and_no_temporary_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(&repo(), &out).status.success());
    let before = digest(&out);
    let o = storypath()
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output-dir")
        .arg(&out)
        .env("STORYPATH_FAIL_AFTER_WRITES", "25")
        .output()
        .unwrap();
    let report = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(report.contains("no space left on device"), "{report}");
    assert!(report.contains("is as it was"), "{report}");
    assert!(!report.contains("panicked"), "{report}");
    assert_eq!(digest(&out), before, "the previous output is untouched");
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

#[test]
fn an_output_folder_that_cannot_be_made_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    // A file where the output's parent folder should be.
    std::fs::write(tmp.path().join("blocker"), "a file").unwrap();
    let out = tmp.path().join("blocker/public");
    let o = build(&repo(), &out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot create the output's parent folder"), "{}", stderr(&o));
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

/// The demo with `extra` more stories (copies of one, with its JPEG photo,
/// so they share one source's images), for a build that takes a while.
fn big_site(dir: &Path, extra: usize) {
    copy_site(&repo(), dir);
    let template = std::fs::read_to_string(repo().join("content/stories/priya-raman.md")).unwrap();
    let stories = dir.join("content/stories/many");
    std::fs::create_dir_all(&stories).unwrap();
    for i in 0..extra {
        let text = template.replacen("name = \"Priya Raman\"", &format!("name = \"Person {i}\""), 1).replacen(
            "title = \"",
            &format!("title = \"{i}: "),
            1,
        );
        std::fs::write(stories.join(format!("person-{i}.md")), text).unwrap();
    }
}

/// Sets site.toml's title: every page shows it, so every page changes.
fn retitle(root: &Path, title: &str) {
    let toml = root.join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let start = text.find("title = \"").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    std::fs::write(&toml, format!("{}title = \"{title}\"{}", &text[..start], &text[end..])).unwrap();
}

#[test]
fn an_interrupted_build_leaves_the_old_output_or_the_new_never_a_mix() {
    let site = tempfile::tempdir().unwrap();
    big_site(site.path(), 1500);
    let work = tempfile::tempdir().unwrap();
    // What the output is after a whole build of each version.
    let mut versions = Vec::new();
    for title in ["Version A", "Version B"] {
        retitle(site.path(), title);
        let out = work.path().join(format!("whole-{title}"));
        let started = std::time::Instant::now();
        assert!(build(site.path(), &out).status.success());
        versions.push((title, digest(&out), started.elapsed()));
    }
    let took = versions[1].2;
    let out = work.path().join("public");
    retitle(site.path(), "Version A");
    assert!(build(site.path(), &out).status.success());
    let mut now = 0;
    let mut outcomes = Vec::new();
    // Signals at points spread over a build: early (load), midway (pages
    // being written), late (around the swap).
    for (k, signal) in
        [libc::SIGINT, libc::SIGTERM, libc::SIGINT, libc::SIGTERM, libc::SIGINT, libc::SIGTERM].into_iter().enumerate()
    {
        let target = 1 - now;
        retitle(site.path(), versions[target].0);
        let child = storypath()
            .args(["build", "-q", "--root"])
            .arg(site.path())
            .arg("--output-dir")
            .arg(&out)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(took.mul_f64(0.15 + 0.17 * k as f64));
        // SAFETY: sends a signal to our own child process, by its id.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let result = child.wait_with_output().unwrap();
        let code = result.status.code();
        let report = String::from_utf8_lossy(&result.stderr).into_owned();
        assert!(matches!(code, Some(0) | Some(130)), "exit {code:?}: {report}");
        assert!(!report.contains("panicked"), "{report}");
        let after = digest(&out);
        now = if after == versions[now].1 {
            now
        } else {
            assert_eq!(after, versions[target].1, "the output is a mix of two builds (signal at {k})");
            target
        };
        assert_eq!(code == Some(0), now == target, "exit 0 exactly when the new build was swapped in: {report}");
        assert_eq!(leftovers(work.path()), Vec::<String>::new(), "temporary folders left behind");
        outcomes.push(code);
    }
    // At least one interruption did stop a build (the timing spans a whole one).
    assert!(outcomes.contains(&Some(130)), "{outcomes:?}");
}
