//! The files crawlers and security researchers read: every page names the
//! sitemap in its `<head>`; the site's `security.txt` is published with an
//! `Expires` a year after the build date (`SOURCE_DATE_EPOCH`, so builds
//! stay reproducible) and its `Canonical` URL; and `check` says when a
//! subpath puts them where nobody looks.

mod common;

use common::{build, copy_site, html_files_of, read, repo, stderr};
use std::path::Path;
use std::process::Command;

/// 2026-12-02T12:00:00Z.
const EPOCH: &str = "1796212800";

fn build_at(root: &Path, epoch: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_storypath"))
        .args(["build", "--root", root.to_str().unwrap(), "--output-dir", out.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, out)
}

#[test]
fn security_txt_expires_within_a_year_of_the_build_and_names_its_url() {
    let source = read(&repo(), "static/.well-known/security.txt");
    assert!(source.contains("Contact: mailto:security@example.org"), "{source}");
    let (_t, out) = build_at(&repo(), EPOCH);
    let text = read(&out, ".well-known/security.txt");
    assert_eq!(
        text,
        "Contact: mailto:security@example.org\n\
         Expires: 2027-12-02T00:00:00Z\n\
         Canonical: https://example.org/careers/.well-known/security.txt\n"
    );
    // The same date, the same bytes; another date, another Expires.
    let (_t2, again) = build_at(&repo(), EPOCH);
    assert_eq!(read(&again, ".well-known/security.txt"), text);
    let (_t3, leap) = build_at(&repo(), "1835395200"); // 2028-02-29
    assert!(read(&leap, ".well-known/security.txt").contains("Expires: 2029-02-28T00:00:00Z\n"));
}

#[test]
fn every_page_names_the_sitemap() {
    let (_t, out) = build(&repo(), &[]);
    let link = "<link rel=\"sitemap\" type=\"application/xml\" href=\"https://example.org/careers/sitemap.xml\">";
    let pages = html_files_of(&out);
    assert!(pages.len() > 20);
    for (path, html) in pages {
        let head = &html[..html.find("</head>").unwrap_or_else(|| panic!("{path}: no </head>"))];
        assert_eq!(head.matches(link).count(), 1, "{path}");
    }
}

#[test]
fn check_says_when_crawl_files_sit_under_a_subpath() {
    let code = "crawl-files-under-subpath";
    let check = |root: &Path| {
        let o = common::storypath(&["check", "--root", root.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        stderr(&o)
    };
    let err = check(&repo());
    assert!(err.contains(&format!("warning[{code}]: .well-known/security.txt and robots.txt")), "{err}");
    assert!(err.contains("https://example.org/.well-known/security.txt"), "the hint names where they belong: {err}");
    // At the root of a host there is nothing to say.
    let site = tempfile::tempdir().unwrap();
    copy_site(&repo(), site.path());
    let toml = site.path().join("site.toml");
    let text =
        std::fs::read_to_string(&toml).unwrap().replace("https://example.org/careers/", "https://careers.example.org/");
    std::fs::write(&toml, text).unwrap();
    assert!(!check(site.path()).contains(code));
}
