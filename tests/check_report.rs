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
        "warning[role-without-story]: no story shows the role `planner`",
        "warning[track-without-story]: no journey passes through the track `wfm`",
        "warning[move-without-story]: nobody in the stories made the move `agent` -> `lead`",
        "warning[unlisted-move]: the ladder does not list the move `lead` -> `agent`",
        "warning[missing-quote]: the story of Ana Lima has no quote",
        "warning[missing-photo]: the story of Bo Berg has no photo",
        "warning[stale-story]: the story of Ana Lima is more than 2 years old",
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

/// tests/sites/report copied, with `site_toml` as its site.toml.
fn report_site(site_toml: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_site(&repo().join("tests/sites/report"), tmp.path());
    std::fs::write(tmp.path().join("site.toml"), site_toml).unwrap();
    tmp
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_check_table_allows_denies_and_sets_the_stale_age() {
    let site = report_site(
        "title = \"X\"\n[check]\nstale_after = \"10y\"\nallow = [\"missing-photo\", \"role-without-story\"]\ndeny = [\"missing-quote\"]\n",
    );
    let o = check(site.path().to_str().unwrap(), &[]);
    let err = text(&o);
    assert_eq!(o.status.code(), Some(1), "a denied warning fails check:\n{err}");
    assert!(err.contains("error[missing-quote]: the story of Ana Lima has no quote"), "{err}");
    assert!(err.contains("error: 1 denied warning ([check] deny in site.toml)"), "{err}");
    for gone in ["missing-photo", "role-without-story", "stale-story"] {
        assert!(!err.contains(&format!("[{gone}]")), "{gone} is allowed or not due yet:\n{err}");
    }
    assert!(err.contains("warning[unlisted-move]"), "the other codes still warn:\n{err}");

    // Allowing the rest, --strict passes: it fails only on what is not allowed.
    let site = report_site(
        "[check]\nallow = [\"missing-photo\", \"missing-quote\", \"stale-story\", \"role-without-story\", \
         \"track-without-story\", \"move-without-story\", \"unlisted-move\"]\n",
    );
    let o = check(site.path().to_str().unwrap(), &["--strict"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("No errors: 2 stories, 0 pages."), "{}", text(&o));

    // A shorter age flags more: 18 months before 2026-11-24.
    let site = report_site("[check]\nstale_after = \"18m\"\n");
    let err = text(&check(site.path().to_str().unwrap(), &[]));
    assert!(err.contains("is more than 18 months old"), "{err}");
}

#[test]
fn mistakes_in_the_check_table_are_located_errors() {
    let site = report_site(
        "[check]\nstale_after = \"two years\"\nallow = [\"stale-stories\"]\ndeny = [\"nope\", \"missing-photo\"]\nwarn = [\"missing-photo\"]\nstrict = true\n",
    );
    let o = check(site.path().to_str().unwrap(), &[]);
    let err = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for expected in [
        "error: `stale_after` `two years` is not an age",
        "--> site.toml:2:15",
        "error: unknown warning code `stale-stories`",
        "--> site.toml:3:10",
        "did you mean `stale-story`?",
        "error: unknown warning code `nope`",
        "error: `missing-photo` is given two levels",
        "--> site.toml:5:9",
        "error: unknown key `strict`",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn github_format_prints_workflow_annotations() {
    let o = check("tests/sites/report", &["--format", "github"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7, "{out}");
    for l in &lines {
        assert!(l.starts_with("::warning file="), "{l}");
        let (props, message) = l["::warning ".len()..].split_once("::").unwrap();
        assert!(props.contains(",line=") && props.contains(",col=") && props.contains(",title="), "{l}");
        assert!(!message.is_empty() && !message.contains('\n'));
    }
    assert!(
        out.contains("::warning file=content/stories/bo.md,line=9,col=3,endLine=9,"),
        "the move Bo took, at its line: {out}"
    );
    assert!(out.contains("title=unlisted-move::the ladder does not list the move `lead` -> `agent`"), "{out}");
    // Errors are ::error commands, and fail the step.
    let o = check("tests/broken/unknown-role", &["--format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.starts_with("::error file=content/stories/") && out.contains("did you mean"), "{out}");
}

/// GitLab's Code Quality report: an array of issues, each with the fields
/// GitLab's documentation requires (description, check_name, fingerprint,
/// severity, location.path, location.lines.begin) and a severity of its list.
#[test]
fn gitlab_format_writes_a_code_quality_report() {
    let o = check("tests/sites/report", &["--format", "gitlab"]);
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("a JSON report on stdout");
    let issues = doc.as_array().unwrap();
    assert_eq!(issues.len(), 7);
    let mut fingerprints = std::collections::BTreeSet::new();
    for i in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].as_str().is_some_and(|s| !s.is_empty()), "{key} in {i}");
        }
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&i["severity"].as_str().unwrap()));
        assert!(i["location"]["path"].as_str().unwrap().starts_with("content/"), "{i}");
        assert!(i["location"]["lines"]["begin"].as_u64().is_some_and(|l| l >= 1), "{i}");
        assert!(fingerprints.insert(i["fingerprint"].as_str().unwrap().to_string()), "fingerprints are unique");
    }
    // The same report twice: fingerprints are stable.
    let again = check("tests/sites/report", &["--format", "gitlab"]);
    assert_eq!(o.stdout, again.stdout);
}

/// The deploy recipes run `storypath check` then `storypath build`: on the
/// demo that passes today and years from now, when every story is stale and
/// every opening has expired.
#[test]
fn the_demo_passes_the_recipes_check_and_build_years_from_now() {
    let site = tempfile::tempdir().unwrap();
    common::copy_site(&repo(), site.path());
    let root = site.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    // 2026-11-24 and ten years later.
    for epoch in [TODAY, "2111184000"] {
        let run = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_storypath")).args(args).env("SOURCE_DATE_EPOCH", epoch).output().unwrap()
        };
        let o = run(&["check", "--root", root]);
        assert!(o.status.success(), "check at {epoch}:\n{}", text(&o));
        let o = run(&["build", "--root", root, "--output-dir", public.to_str().unwrap(), "--quiet"]);
        assert!(o.status.success(), "build at {epoch}:\n{}", text(&o));
    }
    let later = text(
        &Command::new(env!("CARGO_BIN_EXE_storypath"))
            .args(["check", "--root", root])
            .env("SOURCE_DATE_EPOCH", "2111184000")
            .output()
            .unwrap(),
    );
    assert!(later.contains("warning[stale-story]"), "ten years on, the stories are stale, and said so: {later}");
}

/// The README's table of warning codes is the list `check` knows.
#[test]
fn the_readme_lists_every_warning_code() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    for (code, _) in storypath::report::codes::CODES {
        assert!(readme.contains(&format!("| `{code}` |")), "README.md's codes table has {code}");
    }
}
