//! The CI recipes under `examples/ci/` validated against the schemas the
//! hosts publish (vendored by `check-jsonschema`, from PyPI): a recipe a
//! careers team copies must be a workflow the host accepts. That they do
//! what they say is tested in `tests/jobs_pull.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `check-jsonschema`: `$CHECK_JSONSCHEMA`, the one `.ci/run` installs in
/// `target/py/`, or the one on the PATH. Missing, the test fails with the
/// command that installs it: it never skips.
fn check_jsonschema() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("CHECK_JSONSCHEMA").map(PathBuf::from),
        Some(root.join("target/py/bin/check-jsonschema")),
        Some(PathBuf::from("check-jsonschema")),
    ];
    for c in candidates.into_iter().flatten() {
        if Command::new(&c).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return c;
        }
    }
    panic!(
        "check-jsonschema is needed: python3 -m venv target/py && target/py/bin/pip install check-jsonschema==0.39.0 \
         (or run .ci/run, which does)"
    );
}

fn validate(schema: &str, file: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    assert!(path.is_file(), "{file} is missing");
    let o = Command::new(check_jsonschema()).args(["--builtin-schema", schema]).arg(&path).output().unwrap();
    assert!(
        o.status.success(),
        "{file} is not a valid {schema} file:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_nightly_jobs_recipes_are_valid_for_their_hosts() {
    validate("vendor.github-workflows", "examples/ci/jobs-nightly.github.yml");
    validate("vendor.gitlab-ci", "examples/ci/jobs-nightly.gitlab-ci.yml");
}

#[test]
fn a_broken_workflow_is_caught() {
    // The check itself can fail: a workflow without `on` is refused.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yml");
    std::fs::write(&bad, "name: x\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: []\n").unwrap();
    let o = Command::new(check_jsonschema())
        .args(["--builtin-schema", "vendor.github-workflows"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!o.status.success(), "a workflow without `on` passed");
}
