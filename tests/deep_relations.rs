//! Relation chains are walked without recursion (issue 14): a site of
//! 50,000 stories, each the parent of the next, goes through `check` and
//! `build` of the real binary with exit 0, where the recursive cycle check
//! overflowed the stack (exit 134); a loop of 50,000 is one located error.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output};

const STORIES: usize = 50_000;

/// A site generated in a temporary folder: story `p{i}` has `p{i+1}` as its
/// parent. The youngest sorts first, so a depth-first walk from it goes the
/// whole chain down. With `closed`, the eldest has the youngest as parent.
/// Every story has a photo, a quote and, with the test's date, a fresh date,
/// so `check` prints no warnings and no share cards are drawn (50,000 of
/// them would make the test a minute slower and prove nothing more).
fn chain(closed: bool) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let stories = tmp.path().join("content/stories");
    std::fs::create_dir_all(&stories).unwrap();
    std::fs::create_dir_all(tmp.path().join("static")).unwrap();
    // An SVG photo: no photo card to encode per story (50,000 JPEGs), only drawn cards.
    std::fs::write(tmp.path().join("static/p.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"/>")
        .unwrap();
    for i in 0..STORIES {
        let parent = match i + 1 {
            n if n < STORIES => format!("[relations]\nparents = [\"p{n:05}\"]\n"),
            _ if closed => "[relations]\nparents = [\"p00000\"]\n".to_string(),
            _ => String::new(),
        };
        let text = format!(
            "+++\ntitle = \"T{i}\"\nname = \"N{i}\"\ndate = 2020-01-01\nrole = \"agent\"\nphoto = \"p.svg\"\n\
             photo_alt = \"A\"\nquote = \"Q\"\n{parent}+++\nB.\n"
        );
        std::fs::write(stories.join(format!("p{i:05}.md")), text).unwrap();
    }
    tmp
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_storypath"))
        .args(args)
        // 2020-01-01: no story is "more than 2 years old".
        .env("SOURCE_DATE_EPOCH", "1577836800")
        .output()
        .expect("run storypath")
}

#[test]
fn a_parent_chain_of_50000_checks_and_builds() {
    let site = chain(false);
    let root = site.path().to_str().unwrap();
    let o = run(&["check", "--root", root]);
    assert_eq!(o.status.code(), Some(0), "check:\n{}", stderr(&o));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = run(&["build", "--root", root, "--output-dir", public.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "build:\n{}", stderr(&o));
    // One family of all 50,000, and the youngest's page links its parent.
    let families = read(&public, "families/index.html");
    assert_eq!(families.matches("<li class=\"family-card\">").count(), 1, "one family");
    // The count is written for the locale (English groups thousands).
    assert!(families.contains("and 49,994 more"), "six faces, and a count of all the others");
    let youngest = read(&public, "stories/p00000/index.html");
    assert!(youngest.contains("p00001"), "the story links its parent");
    assert!(Path::new(&public).join("stories/p49999/index.html").is_file());
}

#[test]
fn a_parent_loop_of_50000_is_one_located_error() {
    let site = chain(true);
    let o = run(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "check:\n{err}");
    assert_eq!(err.matches("parents form a cycle").count(), 1, "{err}");
    assert!(err.contains("content/stories/p49999.md:"), "located at the link that closes it:\n{err}");
    assert!(err.contains("p00000 -> p00001 -> p00002 -> (49995 more) -> p49998 -> p49999 -> p00000"), "{err}");
    assert!(err.len() < 2_000, "the loop is named by its ends, not printed whole:\n{err}");
}
