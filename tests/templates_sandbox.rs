//! Templates run sandboxed and bounded (issue 14): no environment variable
//! reaches a page, no file outside the site is read as a template, and a
//! template that includes itself, a recursive macro, an import loop, an
//! `extends` loop or a chain too deep for the stack is a located error from
//! `check` and `build` (exit 1), never a stack overflow (exit 134).

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output};

/// A two-story site without a ladder, with `templates` (name, text) added.
fn site(templates: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/sites/no-ladder"), tmp.path());
    for (name, text) in templates {
        let path = tmp.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    tmp
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Runs `command` (check or build, into `out`) on `root` with a secret in
/// the environment.
fn run(command: &str, root: &Path, out: &Path) -> Output {
    let mut args = vec![command, "--root", root.to_str().unwrap()];
    if command == "build" {
        args.extend(["--output-dir", out.to_str().unwrap()]);
    }
    Command::new(env!("CARGO_BIN_EXE_storypath"))
        .args(&args)
        .env("STORYPATH_TEST_SECRET", "s3cret")
        .output()
        .expect("run storypath")
}

/// Both commands fail with exit 1 (not a crash) and report `expected`
/// (the file:line:col and the message); returns check's report.
fn refused(root: &Path, expected: &[&str]) -> String {
    let mut first = String::new();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    for command in ["check", "build"] {
        let o = run(command, root, &out);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{command} should fail with exit 1:\n{err}");
        assert!(!err.contains("overflow"), "{command}:\n{err}");
        for e in expected {
            assert!(err.contains(e), "{command}: no `{e}` in:\n{err}");
        }
        assert!(!out.exists(), "{command} wrote an output");
        if first.is_empty() {
            first = err;
        }
    }
    first
}

#[test]
fn get_env_is_refused_and_no_secret_is_printed() {
    for call in
        [r#"{{ get_env(name="STORYPATH_TEST_SECRET") }}"#, r#"{{ get_env(name="STORYPATH_TEST_SECRET", default="") }}"#]
    {
        let tmp = site(&[("templates/404.html", &format!("<p>\n  {call}</p>"))]);
        let report =
            refused(tmp.path(), &["templates/404.html:2:6", "templates cannot call `get_env()`", "site.extra"]);
        assert!(!report.contains("s3cret"), "{report}");
    }
    // Where it is hidden in a macro of a theme of the site, it is found too.
    let tmp = site(&[
        ("site.toml", "title = \"T\"\ntheme = \"x\"\nbase_url = \"https://example.net/\"\n"),
        ("themes/x/templates/404.html", "{% import \"m.html\" as m %}{{ m::f() }}"),
        ("themes/x/templates/m.html", "{% macro f() %}{{ get_env(name=\"HOME\") | upper }}{% endmacro f %}"),
    ]);
    refused(tmp.path(), &["themes/x/templates/m.html:1:19", "get_env"]);
}

#[test]
fn a_template_linked_from_outside_the_site_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("key.html"), "s3cret-key").unwrap();
    let tmp = site(&[]);
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("key.html"), tmp.path().join("templates/404.html")).unwrap();
    let report = refused(tmp.path(), &["templates/404.html", "this symbolic link leads outside the site folder"]);
    assert!(!report.contains("s3cret-key"));
}

#[test]
fn a_template_that_includes_itself_is_located() {
    let tmp = site(&[("templates/404.html", "<p>Lost</p>\n{% include \"404.html\" %}\n")]);
    refused(tmp.path(), &["templates/404.html:2:13", "404.html includes itself", "remove one of these tags"]);
    // Through others, in a site theme, with the error of a story beside it.
    let tmp = site(&[
        ("site.toml", "title = \"T\"\ntheme = \"x\"\nbase_url = \"https://example.net/\"\n"),
        ("themes/x/templates/404.html", "{% include \"a.html\" %}"),
        ("themes/x/templates/a.html", "{% include \"b.html\" %}"),
        ("themes/x/templates/b.html", "{% if x %}{% include \"a.html\" %}{% endif %}"),
        ("content/stories/three.md", "+++\ntitle = \"T\"\nname = \"N\"\ndate = 2020-01-01\nrole = \"agent\"\n[relations]\nparents = [\"nobody\"]\n+++\n"),
    ]);
    let report = refused(
        tmp.path(),
        &["themes/x/templates/b.html:1:23", "templates include each other in a loop", "a.html -> b.html -> a.html"],
    );
    assert!(report.contains("content/stories/three.md"), "the story's error is reported too:\n{report}");
}

#[test]
fn recursive_macros_are_refused_even_with_a_base_case() {
    // Ends for any finite data, but whether it does is the data's business:
    // refused, with a hint to write the levels out.
    let tree = "{% macro tree(n) %}{% if n > 0 %}<li>{{ self::tree(n=n - 1) }}</li>{% endif %}{% endmacro tree %}\
                {{ self::tree(n=3) }}";
    let tmp = site(&[("templates/404.html", tree)]);
    refused(tmp.path(), &["templates/404.html:1:41", "macro tree() in 404.html calls itself", "recursive macros"]);
    let tmp = site(&[
        ("templates/404.html", "{% import \"m.html\" as m %}{{ m::a() }}"),
        (
            "templates/m.html",
            "{% import \"m.html\" as me %}\n{% macro a() %}{{ self::b() }}{% endmacro a %}\n{% macro b() %}{{ me::a() }}{% endmacro b %}",
        ),
    ]);
    refused(
        tmp.path(),
        &[
            "templates/m.html:3:19",
            "macros call each other in a loop",
            "templates/m.html:1:12",
            "m.html imports itself",
        ],
    );
}

#[test]
fn an_extends_loop_that_does_not_come_back_to_its_start_is_located() {
    // Tera's own check only catches a loop back to the template it started
    // from; from 404.html this one recursed until the stack overflowed.
    let tmp = site(&[
        ("templates/404.html", "{% extends \"b.html\" %}"),
        ("templates/b.html", "{% extends \"c.html\" %}"),
        ("templates/c.html", "{% extends \"b.html\" %}"),
    ]);
    refused(tmp.path(), &["templates/c.html:1:13", "templates extend each other in a loop"]);
}

#[test]
fn chains_and_nesting_too_deep_for_the_stack_are_located() {
    // 600 templates including the next: each step is cheap, the sum is not.
    let names: Vec<String> = (0..600).map(|i| format!("templates/t{i}.html")).collect();
    let texts: Vec<String> = (0..600).map(|i| format!("{{% include \"t{}.html\" %}}", i + 1)).collect();
    let mut list: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(texts.iter().map(String::as_str)).collect();
    list.push(("templates/404.html", "{% include \"t0.html\" %}"));
    list.push(("templates/t600.html", "end"));
    let tmp = site(&list);
    refused(tmp.path(), &["templates/404.html:1:13", "templates nest more than 500 levels deep", "(598 more)"]);
    // Nesting the parser itself would overflow on, before it runs.
    for (text, expected) in [
        (
            format!("{}x{}", "{% if true %}".repeat(20_000), "{% endif %}".repeat(20_000)),
            "tags nested more than 100 deep",
        ),
        (format!("{{{{ {}1{} }}}}", "(".repeat(20_000), ")".repeat(20_000)), "brackets nested more than 100 deep"),
        (format!("{{{{ 1{} }}}}", " + 1".repeat(100_000)), "more than 1000 operators in one tag"),
        (format!("{{{{ 1{} }}}}", " + 1".repeat(900)), "templates nest more than 500 levels deep"),
    ] {
        let tmp = site(&[("templates/404.html", &text)]);
        refused(tmp.path(), &["templates/404.html", expected]);
    }
}

#[test]
fn the_built_in_themes_use_nothing_refused() {
    for theme in THEMES {
        let tmp = demo_with_theme(theme);
        let o = run("check", tmp.path(), Path::new("unused"));
        assert!(o.status.success(), "{theme}: {}", stderr(&o));
    }
}

#[test]
fn the_clock_and_chance_are_not_available_to_templates() {
    // Same site, same bytes: `now()` and `get_random()` are refused at
    // compile time, located, not on the first page that runs them.
    let tmp = site(&[("templates/404.html", "{% if false %}{{ now() }}{{ get_random(end=9) }}{% endif %}")]);
    refused(tmp.path(), &["templates/404.html:1:18", "templates cannot call `now()`", "templates/404.html:1:29"]);
}
