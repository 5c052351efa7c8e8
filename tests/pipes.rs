//! Output to a closed pipe, a full disk or a closed stderr, through the real
//! binary. Before, `println!`/`eprintln!` panicked there ("failed printing
//! to stdout: Broken pipe", exit 101). The contract (README, "Command
//! line"): a closed pipe ends quietly with the command's own status; any
//! other failed write makes a successful run exit 1.

mod common;

use common::{repo, stderr};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Output, Stdio};

/// The write end of a pipe whose read end is already closed: every write
/// to it fails with EPIPE, deterministically (no race with a reader).
fn closed_pipe() -> Stdio {
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: pipe() just returned these two descriptors, owned by nobody else.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read);
    Stdio::from(write)
}

fn dev_full() -> Stdio {
    Stdio::from(std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full"))
}

fn run(args: &[&str], stdout: Stdio, stderr: Stdio) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_storypath"));
    cmd.args(args).current_dir(repo()).stdin(Stdio::null()).stdout(stdout).stderr(stderr);
    let child = cmd.spawn().expect("spawn storypath");
    child.wait_with_output().expect("wait")
}

fn no_panic(o: &Output) {
    assert_ne!(o.status.code(), Some(101), "panicked:\n{}", stderr(o));
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

fn site(name: &str) -> String {
    repo().join(name).to_str().unwrap().to_string()
}

#[test]
fn check_json_into_a_closed_pipe_keeps_the_checks_own_status() {
    let good = site("tests/sites/small");
    let o = run(&["check", "--root", &good, "--format", "json"], closed_pipe(), Stdio::piped());
    no_panic(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "a closed pipe ends quietly");

    let broken = site("tests/broken/date-not-a-date");
    let o = run(&["check", "--root", &broken, "--format", "json"], closed_pipe(), Stdio::piped());
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "a failing check still fails: {}", stderr(&o));
}

/// `storypath check --format json | head -c 1`, for real: the reader takes
/// a byte and leaves while storypath still has far more than a pipe holds
/// (300 broken stories: hundreds of KB of JSON) to write.
#[test]
fn check_json_into_head_ends_quietly_with_the_checks_status() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content/stories")).unwrap();
    for i in 0..300 {
        std::fs::write(root.join(format!("content/stories/s{i}.md")), "+++\nnmae = 1\n+++\n").unwrap();
    }
    let script = format!(
        "{{ '{}' check --root '{}' --format json 2>err.txt; echo $? >status.txt; }} | head -c 1 >/dev/null",
        env!("CARGO_BIN_EXE_storypath"),
        root.display()
    );
    let o = Command::new("sh").arg("-c").arg(&script).current_dir(tmp.path()).output().unwrap();
    assert!(o.status.success());
    let err = std::fs::read_to_string(tmp.path().join("err.txt")).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err, "", "a closed pipe ends quietly");
    assert_eq!(std::fs::read_to_string(tmp.path().join("status.txt")).unwrap().trim(), "1", "the site has errors");
}

#[test]
fn stdout_on_a_full_disk_is_an_error_not_a_panic() {
    let good = site("tests/sites/small");
    let o = run(&["check", "--root", &good, "--format", "json"], dev_full(), Stdio::piped());
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "what was asked for was not delivered");
    assert!(stderr(&o).contains("error: cannot write to stdout"), "{}", stderr(&o));

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let o = run(&["init", dir.to_str().unwrap()], dev_full(), Stdio::piped());
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(dir.join("site.toml").is_file(), "the command itself ran to its end");
}

#[test]
fn a_closed_or_full_stderr_does_not_panic_a_build() {
    let good = site("tests/sites/small");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let args = ["build", "--root", &good, "--output-dir", out.to_str().unwrap()];
    let o = run(&args, Stdio::piped(), closed_pipe());
    no_panic(&o);
    assert_eq!(o.status.code(), Some(0), "the build succeeded; its reader left");
    assert!(out.join("index.html").is_file());

    let o = run(&args, Stdio::piped(), dev_full());
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1), "the summary could not be written");

    let broken = site("tests/broken/date-not-a-date");
    for stderr in [closed_pipe(), dev_full()] {
        let o = run(&["build", "--root", &broken, "--output-dir", out.to_str().unwrap()], Stdio::piped(), stderr);
        no_panic(&o);
        assert_eq!(o.status.code(), Some(1));
    }
    assert!(out.join("index.html").is_file(), "the failed builds left the output alone");
}

#[test]
fn every_command_survives_both_streams_closed() {
    let good = site("tests/sites/small");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let d = dir.to_str().unwrap().to_string();
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["check", "--root", &good], 0),
        (vec!["check", "--root", &good, "--strict"], 1),
        (vec!["check", "--root", &good, "--format", "json", "--strict"], 1),
        (vec!["init", &d], 0),
        (vec!["init", &d], 1),
        (vec!["new", "story", "Ana Li", "--root", &d], 0),
        (vec!["new", "story", "Ana Li", "--root", &d], 1),
        (vec!["init", &d, "--theme", "nope"], 2),
        (vec!["--help"], 0),
        (vec!["--no-such-flag"], 2),
    ];
    for (args, code) in cases {
        let o = run(&args, closed_pipe(), closed_pipe());
        assert_eq!(o.status.code(), Some(code), "{args:?}");
    }
}
