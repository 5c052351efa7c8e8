//! Input files that are not what they seem, through the real binary: a FIFO
//! (it hung `build` forever, deaf to Ctrl-C), a link to `/dev/zero` (read
//! forever), files over the size limits, names that are not UTF-8 (they
//! passed `check` and failed `build` with "check free disk space").

mod common;

use common::{copy_site, repo, run_with_timeout, stderr};
use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

/// The small test site copied into a temporary folder.
fn site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&repo().join("tests/sites/small"), tmp.path());
    tmp
}

/// `storypath <command> --root <root>` (a build writes beside the site),
/// killed after 10 s: a hang fails the test.
fn run(command: &str, root: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_storypath"));
    cmd.args([command, "--root", root.to_str().unwrap()]);
    if command == "build" {
        cmd.args(["--output-dir", root.parent().unwrap().join("out").to_str().unwrap()]);
    }
    run_with_timeout(&mut cmd, Duration::from_secs(10))
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

/// Both `check` and `build` fail (exit 1) in time with every `needles` in
/// the report.
fn refused(root: &Path, needles: &[&str]) {
    for command in ["check", "build"] {
        let o = run(command, root);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{command}:\n{err}");
        for n in needles {
            assert!(err.contains(n), "{command}: no {n:?} in:\n{err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_fifo_as_the_ladder_site_toml_or_a_story_is_an_error_not_a_hang() {
    for rel in ["content/ladder.toml", "site.toml", "content/stories/ana.md", "content/pages/benefits.md"] {
        let tmp = site();
        let root = tmp.path();
        fs::remove_file(root.join(rel)).unwrap();
        mkfifo(&root.join(rel));
        refused(
            root,
            &[
                &format!("in {rel}"),
                "a FIFO (named pipe), not a regular file",
                "help: storypath reads and publishes only regular files",
            ],
        );
    }
}

#[test]
fn a_fifo_in_static_is_an_error() {
    let tmp = site();
    fs::create_dir_all(tmp.path().join("static")).unwrap();
    mkfifo(&tmp.path().join("static/feed"));
    refused(tmp.path(), &["in static/feed", "a FIFO (named pipe), not a regular file"]);
}

#[test]
fn a_link_to_dev_zero_is_never_read() {
    let tmp = site();
    let root = tmp.path();
    symlink("/dev/zero", root.join("content/stories/zero.md")).unwrap();
    fs::remove_file(root.join("content/ladder.toml")).unwrap();
    symlink("/dev/zero", root.join("content/ladder.toml")).unwrap();
    fs::create_dir_all(root.join("static")).unwrap();
    symlink("/dev/zero", root.join("static/zero.bin")).unwrap();
    refused(
        root,
        &[
            "in content/stories/zero.md",
            "in content/ladder.toml",
            "in static/zero.bin",
            "this is a device, not a regular file",
        ],
    );
}

/// A story over 10 MB (a sparse file: nothing is written or read) names its
/// size and the limit.
#[test]
fn a_story_over_the_limit_is_a_located_error() {
    let tmp = site();
    let story = tmp.path().join("content/stories/huge.md");
    fs::File::create(&story).unwrap().set_len(12_345_678).unwrap();
    refused(
        tmp.path(),
        &[
            "in content/stories/huge.md",
            "the file is too large: 12.3 MB, over the limit of 10.0 MB",
            "each story, page and template",
        ],
    );
    // Just under the limit is read (and then fails for what it holds, not its size).
    fs::File::create(&story).unwrap().set_len(10_000_000).unwrap();
    let o = run("check", tmp.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(!stderr(&o).contains("too large"), "{}", stderr(&o));
    assert!(stderr(&o).contains("content/stories/huge.md"), "{}", stderr(&o));
}

/// site.toml and the ladder share 50 MB: each under it, together over.
#[test]
fn data_files_share_one_limit() {
    let tmp = site();
    let root = tmp.path();
    let mut toml = fs::read_to_string(root.join("site.toml")).unwrap();
    toml.push_str(&format!("\n#{}\n", "x".repeat(30_000_000)));
    fs::write(root.join("site.toml"), &toml).unwrap();
    let mut ladder = fs::read_to_string(root.join("content/ladder.toml")).unwrap();
    ladder.push_str(&format!("\n#{}\n", "x".repeat(25_000_000)));
    fs::write(root.join("content/ladder.toml"), &ladder).unwrap();
    let o = run("check", root);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("in content/ladder.toml"), "{err}");
    assert!(
        err.contains("25.0 MB, over the 20.0 MB left of the limit of 50.0 MB")
            && err.contains("data files (site.toml, the ladder, the jobs files) together"),
        "{err}"
    );
    assert!(!err.contains("in site.toml"), "site.toml alone is within the limit: {err}");
}

/// A name that is not UTF-8 (Latin-1 `café.md`) under content/ or static/.
#[test]
fn non_utf8_names_fail_check_and_build_alike() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = site();
    let root = tmp.path();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    fs::write(root.join("content/stories").join(name), "+++\n+++\n").unwrap();
    fs::create_dir_all(root.join("static").join(std::ffi::OsStr::from_bytes(b"img\xff"))).unwrap();
    fs::write(root.join("static").join(std::ffi::OsStr::from_bytes(b"img\xff")).join(name), "x").unwrap();
    refused(
        root,
        &[
            "in content/stories",
            "the name \"caf\u{fffd}.md\" is not valid UTF-8",
            "in static",
            "the name \"img\u{fffd}\" is not valid UTF-8",
            "help: rename it using UTF-8 characters",
        ],
    );
    let o = run("check", root);
    assert!(!stderr(&o).contains("check free disk space"), "{}", stderr(&o));
    // The folder is reported once, not entered.
    assert_eq!(stderr(&o).matches("not valid UTF-8").count(), 2, "{}", stderr(&o));
}

/// A link that leads nowhere names what it is.
#[test]
fn a_dangling_link_is_named_as_such() {
    let tmp = site();
    symlink(tmp.path().join("gone.md"), tmp.path().join("content/stories/gone.md")).unwrap();
    refused(tmp.path(), &["in content/stories/gone.md", "a symbolic link leads to nothing"]);
}

/// DESIGN.md: a TOML datetime or a quoted `YYYY-MM-DD` means the same date as
/// a bare one; a time of day alone was "must be a date, found a date".
#[test]
fn a_story_date_written_any_allowed_way_is_the_same_day() {
    let pages: Vec<String> = ["2020-03-01", "2020-03-01T10:00:00Z", "2020-03-01T23:59:59-08:00", "\"2020-03-01\""]
        .iter()
        .map(|date| {
            let tmp = site();
            let story = tmp.path().join("content/stories/ana.md");
            let text = fs::read_to_string(&story).unwrap().replace("date = 2020-03-01", &format!("date = {date}"));
            fs::write(&story, text).unwrap();
            let (_out_tmp, out) = common::build(tmp.path(), &[]);
            common::read(&out, "stories/ana/index.html")
        })
        .collect();
    assert!(pages[0].contains("datetime=\"2020-03-01\""), "{}", pages[0]);
    for p in &pages[1..] {
        assert!(p == &pages[0], "a datetime or a quoted date changed the page");
    }

    let tmp = site();
    let story = tmp.path().join("content/stories/ana.md");
    let text = fs::read_to_string(&story).unwrap().replace("date = 2020-03-01", "date = 10:00:00");
    fs::write(&story, text).unwrap();
    refused(
        tmp.path(),
        &[
            "content/stories/ana.md:4:8",
            "`date` must be a date, found only a time of day",
            "help: write the day, like date = 2019-05-02",
        ],
    );
}
