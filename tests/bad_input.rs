//! Input shapes made at test time rather than kept as fixtures: a huge
//! story, deeply nested folders, a BOM with CRLF line ends in a story with
//! an error (the line and column must still be right), and a story that is
//! a dangling link. Each builds, or fails with a located, hinted error;
//! none panics.

mod common;

use common::{copy_site, repo, stderr, storypath};
use std::path::Path;

fn build(root: &Path) -> std::process::Output {
    let out = root.join("out");
    storypath(&["build", "--root", root.to_str().unwrap(), "--output-dir", out.to_str().unwrap()])
}

fn small_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&repo().join("tests/sites/small"), tmp.path());
    tmp
}

const FRONT: &str = "+++\ntitle = \"T\"\nname = \"Nia Huge\"\ndate = 2024-01-01\nrole = \"agent\"\n+++\n";

#[test]
fn a_huge_story_builds() {
    let site = small_site();
    let paragraph = "Lorem ipsum dolor sit amet, *consectetur* adipiscing elit. ".repeat(20) + "\n\n";
    let body = paragraph.repeat(8_000); // about 9.6 MB
    std::fs::write(site.path().join("content/stories/huge.md"), format!("{FRONT}{body}")).unwrap();
    let o = build(site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.path().join("out/stories/huge/index.html").metadata().unwrap().len() > 9_000_000);
}

#[test]
fn a_huge_front_matter_of_garbage_is_a_located_error() {
    let site = small_site();
    let garbage = "x = [".repeat(200_000);
    std::fs::write(site.path().join("content/stories/junk.md"), format!("+++\n{garbage}\n+++\n")).unwrap();
    let o = build(site.path());
    let report = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(report.contains("--> content/stories/junk.md:2:"), "{}", &report[..report.len().min(2000)]);
    assert!(!report.contains("panicked"));
}

#[test]
fn stories_in_deeply_nested_folders_build() {
    let site = small_site();
    let mut dir = site.path().join("content/stories");
    for level in 0..60 {
        dir = dir.join(format!("level-{level}"));
    }
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("deep.md"), FRONT.replace("Nia Huge", "Dee Deep")).unwrap();
    let o = build(site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.path().join("out/stories/deep/index.html").is_file(), "the slug is the file stem, not the folders");
}

#[test]
fn bom_and_crlf_keep_lines_and_columns_right() {
    let site = small_site();
    let text = "\u{feff}+++\r\ntitle = \"T\"\r\nname = \"Bo M\"\r\ndate = 2024-01-01\r\nrole = \"agent\"\r\n  colour = \"red\"\r\n+++\r\nBody\r\n";
    std::fs::write(site.path().join("content/stories/bom.md"), text).unwrap();
    let o = build(site.path());
    let report = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    // `colour` is on line 6, after two spaces.
    assert!(report.contains("--> content/stories/bom.md:6:3"), "{report}");
    assert!(report.contains("unknown key `colour`"), "{report}");
}

#[test]
fn a_story_that_is_a_dangling_link_is_a_clear_error() {
    let site = small_site();
    std::os::unix::fs::symlink("/nonexistent/story.md", site.path().join("content/stories/gone.md")).unwrap();
    let o = build(site.path());
    let report = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(report.contains("gone.md") && report.contains("= help: "), "{report}");
    assert!(!report.contains("panicked"));
}
