//! `storypath check`'s content report: warnings with file:line:column and a
//! hint, `--strict`, and `--format json`.

mod common;

use common::{repo, snapshot};
use std::process::{Command, Output};

/// 2026-11-24, so "older than two years" does not move with the clock.
const TODAY: &str = "1795564800";

fn check(site: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_storypath"))
        .args(["check", "--root", site])
        .args(extra)
        .env("SOURCE_DATE_EPOCH", TODAY)
        .current_dir(repo())
        .output()
        .unwrap()
}

#[test]
fn the_report_names_each_problem_where_to_fix_it() {
    let o = check("tests/sites/report", &[]);
    assert_eq!(o.status.code(), Some(0), "warnings alone do not fail");
    let err = String::from_utf8_lossy(&o.stderr);
    snapshot(&repo().join("tests/snapshots/check-report.txt"), &err);
    for expected in [
        "warning: no story shows the role `planner`",
        "warning: no journey passes through the track `wfm`",
        "warning: nobody in the stories made the move `agent` -> `lead`",
        "warning: the ladder does not list the move `lead` -> `agent`",
        "warning: the story of Ana Lima has no quote",
        "warning: the story of Bo Berg has no photo",
        "warning: the story of Ana Lima is more than 2 years old",
        "--> content/stories/bo.md:9:3",
        "--> content/ladder.toml:",
        "No errors: 2 stories, 0 pages; 7 warnings.",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn strict_turns_warnings_into_a_failure() {
    let o = check("tests/sites/report", &["--strict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--strict makes the 7 warnings errors"));
    // A site without warnings passes --strict.
    let tmp = tempfile::tempdir().unwrap();
    assert!(common::storypath(&["init", tmp.path().to_str().unwrap()]).status.success());
    let o = check(tmp.path().to_str().unwrap(), &["--strict"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn json_lists_errors_and_warnings_for_ci() {
    let o = check("tests/sites/report", &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["errors"].as_array().unwrap().len(), 0);
    let warnings = doc["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 7);
    let mv = warnings.iter().find(|w| w["message"].as_str().unwrap().contains("`lead` -> `agent`")).unwrap();
    assert_eq!(mv["severity"], "warning");
    assert_eq!(mv["file"], "content/stories/bo.md");
    assert_eq!((mv["line"].as_u64(), mv["column"].as_u64()), (Some(9), Some(3)));
    assert!(mv["hint"].as_str().unwrap().contains("next"));

    let o = check("tests/sites/report", &["--format", "json", "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["ok"], false);

    let o = check("tests/broken/unknown-role", &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let e = &doc["errors"][0];
    assert_eq!(e["severity"], "error");
    assert!(e["line"].as_u64().is_some() && e["hint"].as_str().unwrap().contains("did you mean"), "{doc}");
}
