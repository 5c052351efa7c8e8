//! `storypath init` and `storypath new story` through the real binary.

mod common;

use common::server::Server;
use common::{stderr, storypath};
use std::fs;

fn run(args: &[&str]) -> std::process::Output {
    storypath(args)
}

#[test]
fn init_makes_a_site_that_checks_builds_and_serves() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("careers");
    let dir_s = dir.to_str().unwrap();
    let o = run(&["init", dir_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["site.toml", "content/ladder.toml", "content/pages/how-we-hire.md", "static/img/logo.svg"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let stories = fs::read_dir(dir.join("content/stories")).unwrap().count();
    assert_eq!(stories, 2);
    let site_toml = fs::read_to_string(dir.join("site.toml")).unwrap();
    assert!(site_toml.contains("# "), "site.toml explains itself with comments");

    let o = run(&["check", "--root", dir_s, "--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_out_tmp, out) = common::build(&dir, &[]);
    for page in [
        "index.html",
        "stories/jordan-lee/index.html",
        "roles/team-lead/index.html",
        "how-we-hire/index.html",
        "map.svg",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
    let server = Server::start(&dir, &[]);
    let home = server.get(&server.base());
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Careers at Example Support"));
}

#[test]
fn init_refuses_a_folder_with_files_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    let o = run(&["init", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not empty") && stderr(&o).contains("--force"), "{}", stderr(&o));
    assert!(!dir.join("site.toml").exists());

    let o = run(&["init", dir.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("site.toml").is_file());
    assert_eq!(fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine");
    assert!(String::from_utf8_lossy(&o.stdout).contains("Created a site"));

    // Hidden files (a fresh `git init`) do not count.
    let fresh = tmp.path().join("fresh");
    fs::create_dir_all(fresh.join(".git")).unwrap();
    assert!(run(&["init", fresh.to_str().unwrap()]).status.success());
}

#[test]
fn init_takes_a_built_in_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let o = run(&["init", dir.to_str().unwrap(), "--theme", "horizn"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `horizon`?"), "{}", stderr(&o));
    assert!(!dir.exists());
    let o = run(&["init", dir.to_str().unwrap(), "--theme", "horizon"]);
    assert!(o.status.success());
    assert!(fs::read_to_string(dir.join("site.toml")).unwrap().contains("theme = \"horizon\""));
}

#[test]
fn new_story_writes_a_draft_with_what_a_writer_needs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(run(&["init", dir.to_str().unwrap()]).status.success());
    let o = run(&["new", "story", "Zoë Núñez", "--root", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = fs::read_to_string(dir.join("content/stories/zoe-nunez.md")).unwrap();
    let (y, m, d) = storypath::clock::today();
    for needed in [
        "name = \"Zoë Núñez\"".to_string(),
        format!("date = {y:04}-{m:02}-{d:02}"),
        "role = \"agent\"".into(),
        "one of: agent, operations-manager, senior-agent, team-lead".into(),
        "draft = true".into(),
        "## How did you get into the industry?".into(),
        "title = ".into(),
    ] {
        assert!(text.contains(&needed), "missing {needed:?} in:\n{text}");
    }
    // It checks, stays out of a normal build, and is published with --drafts.
    let o = run(&["check", "--root", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_a, out) = common::build(dir, &[]);
    assert!(!out.join("stories/zoe-nunez/index.html").exists());
    let (_b, out) = common::build(dir, &["--drafts"]);
    assert!(common::read(&out, "stories/zoe-nunez/index.html").contains("Zoë Núñez"));

    // Never overwritten.
    fs::write(dir.join("content/stories/zoe-nunez.md"), "my words").unwrap();
    let o = run(&["new", "story", "Zoe Nunez", "--root", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("content/stories/zoe-nunez.md already exists"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(dir.join("content/stories/zoe-nunez.md")).unwrap(), "my words");

    let o = run(&["new", "story", "  ", "--root", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn new_story_without_a_ladder_gets_a_clear_placeholder() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&["new", "story", "O'Brien \"Bo\" Back\\slash", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = fs::read_to_string(tmp.path().join("content/stories/o-brien-bo-back-slash.md")).unwrap();
    assert!(text.contains("role = \"change-me\""), "{text}");
    assert!(text.contains(r#"name = "O'Brien \"Bo\" Back\\slash""#), "{text}");
    let o = run(&["check", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `init --force` on a site that was edited: every starter file that differs
/// is listed, nothing is written (not even the missing ones), and a run with
/// only untouched or missing files adds what is missing and leaves the rest.
#[test]
fn init_force_never_replaces_an_edited_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let d = dir.to_str().unwrap();
    assert!(run(&["init", d]).status.success());
    fs::write(dir.join("site.toml"), "title = \"Ours\"\n").unwrap();
    fs::write(dir.join("content/ladder.toml"), "# our ladder\n").unwrap();
    fs::remove_file(dir.join("content/pages/how-we-hire.md")).unwrap();
    let untouched = fs::read(dir.join("content/stories/jordan-lee.md")).unwrap();

    let o = run(&["init", d, "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("2 files of the starter already exist with other content"), "{err}");
    assert!(err.contains("  site.toml") && err.contains("  content/ladder.toml"), "{err}");
    assert!(!err.contains("jordan-lee"), "untouched files are not listed: {err}");
    assert_eq!(fs::read_to_string(dir.join("site.toml")).unwrap(), "title = \"Ours\"\n");
    assert_eq!(fs::read_to_string(dir.join("content/ladder.toml")).unwrap(), "# our ladder\n");
    assert!(!dir.join("content/pages/how-we-hire.md").exists(), "a refused init writes nothing");

    // With the edits moved away, the missing files come back and the
    // untouched ones are left (same bytes, same inode).
    fs::remove_file(dir.join("site.toml")).unwrap();
    fs::remove_file(dir.join("content/ladder.toml")).unwrap();
    let ino = std::os::unix::fs::MetadataExt::ino(&fs::metadata(dir.join("content/stories/jordan-lee.md")).unwrap());
    let o = run(&["init", d, "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Added 3 starter files"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(dir.join("content/pages/how-we-hire.md").is_file());
    assert_eq!(fs::read(dir.join("content/stories/jordan-lee.md")).unwrap(), untouched);
    let ino2 = std::os::unix::fs::MetadataExt::ino(&fs::metadata(dir.join("content/stories/jordan-lee.md")).unwrap());
    assert_eq!(ino, ino2, "an identical file is not rewritten");
}

/// A starter story dated another day is the starter's, not an edit.
#[test]
fn init_force_takes_a_starter_story_from_another_day_as_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(run(&["init", dir.to_str().unwrap()]).status.success());
    let story = dir.join("content/stories/sam-rivera.md");
    let text = fs::read_to_string(&story).unwrap();
    let old: String = text
        .lines()
        .map(|l| if l.starts_with("date = ") { "date = 2001-02-03".to_string() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    assert_ne!(old, text);
    fs::write(&story, &old).unwrap();
    let o = run(&["init", dir.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&story).unwrap(), old, "left as it was");
}

/// Symbolic links leading out of the folder are refused before anything is
/// written, whether they stand for a folder or a file of the starter.
#[test]
fn init_force_never_writes_through_a_link_out_of_the_folder() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(&site).unwrap();
    symlink(&outside, site.join("content")).unwrap();
    symlink(outside.join("site.toml"), site.join("site.toml")).unwrap();
    let o = run(&["init", site.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("symbolic links inside") && err.contains("content, site.toml"), "{err}");
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 0, "nothing written outside");
    assert!(!site.join("static").exists(), "nothing written inside either");

    // A link that stays inside the folder is followed.
    fs::remove_file(site.join("content")).unwrap();
    fs::remove_file(site.join("site.toml")).unwrap();
    fs::create_dir(site.join("real-content")).unwrap();
    symlink("real-content", site.join("content")).unwrap();
    let o = run(&["init", site.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.join("real-content/ladder.toml").is_file());
}

/// A dangling link at a starter file's name is not written through either
/// (create_new semantics), and a FIFO there is not opened (it would hang).
#[test]
fn init_force_refuses_a_dangling_link_and_does_not_open_a_fifo() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("content")).unwrap();
    let target = tmp.path().join("would-be-created.toml");
    symlink(&target, site.join("site.toml")).unwrap();
    let o = run(&["init", site.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("site.toml"), "{}", stderr(&o));
    assert!(!target.exists());

    fs::remove_file(site.join("site.toml")).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(site.join("content/ladder.toml")).status().unwrap().success());
    let o = common::run_with_timeout(
        std::process::Command::new(env!("CARGO_BIN_EXE_storypath")).args(["init", site.to_str().unwrap(), "--force"]),
        std::time::Duration::from_secs(10),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("content/ladder.toml"), "{}", stderr(&o));
}

/// `new story` does not write through a link that leaves the site.
#[test]
fn new_story_never_writes_through_a_link_out_of_the_site() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("content")).unwrap();
    symlink(&outside, site.join("content/stories")).unwrap();
    let o = run(&["new", "story", "Ana Li", "--root", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("content/stories is a symbolic link that leads out of the site"), "{}", stderr(&o));
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 0);

    // A dangling link at the story's own name is not followed either.
    fs::remove_file(site.join("content/stories")).unwrap();
    fs::create_dir(site.join("content/stories")).unwrap();
    symlink(outside.join("x.md"), site.join("content/stories/ana-li.md")).unwrap();
    let o = run(&["new", "story", "Ana Li", "--root", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!outside.join("x.md").exists());
}
