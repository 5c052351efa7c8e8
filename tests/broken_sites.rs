//! One broken site per validation rule (tests/broken/<rule>/). For each:
//! `build` exits 1, the report matches its snapshot (expected.txt), names the
//! file with line and column and gives a hint, the previous output folder is
//! untouched and no temporary folder is left behind; `check` agrees.

mod common;
use common::*;
use std::path::Path;

fn cases() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(repo().join("tests/broken"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// A stand-in for the previous build's output.
fn previous_output(parent: &Path) -> std::path::PathBuf {
    let out = parent.join("public");
    std::fs::create_dir_all(out.join("stories/old")).unwrap();
    std::fs::write(out.join("index.html"), "previous build").unwrap();
    std::fs::write(out.join("stories/old/index.html"), "old story").unwrap();
    // What marks a folder as a build's output (else a build refuses it).
    std::fs::write(out.join(".storypath-output"), "made by storypath").unwrap();
    out
}

#[test]
fn every_broken_site_fails_clearly_and_keeps_the_old_output() {
    let cases = cases();
    assert!(cases.len() >= 25, "expected one fixture per rule, found {}", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let tmp = tempfile::tempdir().unwrap();
        let out = previous_output(tmp.path());
        let before = tree(&out);
        let o = storypath(&["build", "--root", case.to_str().unwrap(), "--output-dir", out.to_str().unwrap()]);
        // The output folder is a temporary one: name it the same in every run.
        let report = stderr(&o).replace(out.to_str().unwrap(), "<output>");
        if o.status.code() != Some(1) {
            failures.push(format!("{name}: exit {:?}, expected 1\n{report}", o.status.code()));
            continue;
        }
        if report.contains("panicked") {
            failures.push(format!("{name}: panicked\n{report}"));
        }
        // Every error has a hint and names a file (with line:column where it has a place).
        let errors = report.matches("\nerror: ").count() + usize::from(report.starts_with("error: ")) - 1;
        let hints = report.matches("= help: ").count();
        if errors == 0 || hints < errors {
            failures.push(format!("{name}: {errors} errors but {hints} hints\n{report}"));
        }
        // Each error names its file with line and column (` --> file:line:col`),
        // except the few that are about a whole file or folder.
        let whole_file = ["file-system-shapes", "template-runtime-error"];
        let located = report.lines().filter(|l| located_at(l)).count();
        if whole_file.contains(&name.as_str()) {
            if !report.contains(" = in ") {
                failures.push(format!("{name}: no file named\n{report}"));
            }
        } else if located < errors {
            failures.push(format!("{name}: {errors} errors but {located} with file:line:column\n{report}"));
        }
        if tree(&out) != before {
            failures.push(format!("{name}: the previous output changed"));
        }
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        if leftovers.len() != 1 {
            failures.push(format!("{name}: temporary folders left behind: {leftovers:?}"));
        }
        // `check` finds the same errors (it renders a sample of pages, so a
        // template error's "while rendering ..." label may name fewer pages).
        let check = storypath(&["check", "--root", case.to_str().unwrap()]);
        let error_lines = |r: &str| r.lines().filter(|l| l.starts_with("error")).map(String::from).collect::<Vec<_>>();
        if check.status.code() != Some(1) || error_lines(&stderr(&check)) != error_lines(&report) {
            failures.push(format!("{name}: check disagrees with build:\n{}", stderr(&check)));
        }
        if case.join("public").exists() {
            failures.push(format!("{name}: check or build wrote into the site"));
        }
        let expected = case.join("expected.txt");
        if std::env::var_os("STORYPATH_BLESS").is_some() {
            std::fs::write(&expected, &report).unwrap();
        } else {
            match std::fs::read_to_string(&expected) {
                Ok(e) if e == report => {}
                Ok(e) => failures
                    .push(format!("{name}: report differs from expected.txt\n--- expected\n{e}\n--- actual\n{report}")),
                Err(_) => failures.push(format!("{name}: no expected.txt (run with STORYPATH_BLESS=1)")),
            }
        }
    }
    assert!(failures.is_empty(), "{} failing cases:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// ` --> path:line:col`
fn located_at(line: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix("--> ") else { return false };
    let mut parts = rest.rsplitn(3, ':');
    let col = parts.next().is_some_and(|c| c.parse::<usize>().is_ok());
    let line_no = parts.next().is_some_and(|l| l.parse::<usize>().is_ok());
    col && line_no && parts.next().is_some_and(|f| !f.is_empty())
}

#[test]
fn errors_point_at_the_md_line_not_the_toml_line() {
    let o = storypath(&["check", "--root", "tests/broken/unknown-role"]);
    // `role` is on line 5 of bo.md (line 4 of the extracted TOML).
    assert!(stderr(&o).contains("content/stories/bo.md:5:8"), "{}", stderr(&o));
    assert!(stderr(&o).contains("did you mean `agent`?"), "{}", stderr(&o));
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let o = storypath(&["check", "--root", "tests/broken/many-errors-at-once"]);
    let r = stderr(&o);
    for needle in [
        "site.toml:2:",
        "content/ladder.toml:",
        "content/stories/bo.md:",
        "content/stories/cy.md:1:1",
        "unknown role `agnet`",
        "missing required key `name`",
    ] {
        assert!(r.contains(needle), "missing {needle} in\n{r}");
    }
}
