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
