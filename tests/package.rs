//! The crate `cargo package` makes (what `cargo install storypath` builds):
//! every file the binary embeds at compile time is in it, and the demo site,
//! the tests and their fixtures are not. `.ci/static-binary` builds the
//! static binary from that same crate.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

fn packaged() -> BTreeSet<String> {
    let o = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--locked"])
        .current_dir(common::repo())
        .output()
        .expect("run cargo package --list");
    assert!(o.status.success(), "cargo package --list failed:\n{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap().lines().map(str::to_string).collect()
}

/// The files git tracks under `dir`.
fn tracked(dir: &str) -> Vec<String> {
    let o = Command::new("git").args(["ls-files", "--", dir]).current_dir(common::repo()).output().expect("run git");
    assert!(o.status.success());
    let files: Vec<String> = String::from_utf8(o.stdout).unwrap().lines().map(str::to_string).collect();
    assert!(!files.is_empty(), "git tracks nothing under {dir}");
    files
}

#[test]
fn the_package_holds_what_the_binary_embeds_and_nothing_of_the_demo_or_tests() {
    let list = packaged();
    // Embedded with include_dir!/include_bytes!: the themes, the starter
    // site of `init`, the share cards' fonts; and the code itself.
    for dir in ["themes", "src/scaffold/site", "assets/fonts", "src"] {
        for f in tracked(dir) {
            assert!(list.contains(&f), "`cargo package` leaves out {f}, which the build needs");
        }
    }
    for f in ["Cargo.toml", "Cargo.lock", "build.rs", "README.md", "LICENSE-ASSETS.md"] {
        assert!(list.contains(f), "`cargo package` leaves out {f}");
    }
    // Every embedding in the code names a packaged path.
    for f in tracked("src").iter().filter(|f| f.ends_with(".rs")) {
        let text = std::fs::read_to_string(common::repo().join(f)).unwrap();
        for (i, _) in text.match_indices("include_bytes!(\"") {
            let rel = &text[i + 16..][..text[i + 16..].find('"').unwrap()];
            let dir = std::path::Path::new(f).parent().unwrap();
            let path = normalise(&dir.join(rel).to_string_lossy());
            assert!(list.contains(&path), "{f} embeds {path}, which the package leaves out");
        }
    }
    let stray: Vec<&String> = list
        .iter()
        .filter(|f| {
            ["tests/", "content/", "static/", "examples/", "docs/", ".ci/", "public/", "target/"]
                .iter()
                .any(|d| f.starts_with(d))
        })
        .collect();
    assert!(stray.is_empty(), "the package ships files a user's install does not need: {stray:?}");
}

/// `a/b/../../c` -> `c`.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}
