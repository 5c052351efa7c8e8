//! Build script: only gives `storypath --version` the commit it was built
//! from (`git describe --tags --always`, as Hugo and Zola print theirs), so a
//! bug report names the exact build. A crate built from crates.io or a source
//! archive has no `.git`: it prints the package version alone.

use std::path::Path;
use std::process::Command;

fn main() {
    let git = Path::new(".git");
    if git.exists() {
        // A new commit or tag moves HEAD or a ref: describe again then, and only then.
        println!("cargo:rerun-if-changed=.git/HEAD");
        println!("cargo:rerun-if-changed=.git/refs");
        println!("cargo:rerun-if-changed=.git/packed-refs");
    } else {
        println!("cargo:rerun-if-changed=build.rs");
    }
    let version = env!("CARGO_PKG_VERSION");
    let described = git
        .exists()
        .then(|| Command::new("git").args(["describe", "--tags", "--always"]).output().ok())
        .flatten()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-._/+".contains(c)));
    let full = match described {
        Some(d) => format!("{version} ({d})"),
        None => version.to_string(),
    };
    println!("cargo:rustc-env=STORYPATH_VERSION={full}");
}
