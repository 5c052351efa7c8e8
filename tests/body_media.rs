//! Images and links in story and page bodies (tests/sites/body-media, a site
//! under https://example.org/careers/): `check` reports a missing body image
//! at its file, line and column with a hint; once fixed, `build` shows body
//! images as `<picture>`s of resized files that exist, relative to each page,
//! root-relative links resolve under the subpath, and `check` warns about the
//! `<iframe>` and `<video>` the sanitiser removes.

mod common;

use common::{attrs, copy_site, read, repo, snapshot, stderr};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SITE: &str = "tests/sites/body-media";
/// 2026-11-24, so no story is "more than two years old".
const TODAY: &str = "1795564800";

fn storypath(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_storypath"))
        .args(args)
        .args(["--root", root.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", TODAY)
        .current_dir(repo())
        .output()
        .unwrap()
}

/// A copy of the fixture with its two broken images fixed.
fn fixed_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&repo().join(SITE), tmp.path());
    let edit = |rel: &str, f: &dyn Fn(String) -> String| {
        let path = tmp.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let new = f(text.clone());
        assert_ne!(new, text, "the edit of {rel} changed nothing");
        std::fs::write(path, new).unwrap();
    };
    edit("content/stories/ana.md", &|t| t.lines().filter(|l| !l.contains("award")).map(|l| format!("{l}\n")).collect());
    edit("content/pages/benefits.md", &|t| t.replace("img/teem.png", "img/team.png"));
    tmp
}

#[test]
fn a_missing_body_image_is_an_error_at_its_line_with_a_hint() {
    let root = repo().join(SITE);
    let o = storypath(&root, &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    snapshot(&repo().join("tests/snapshots/body-media-check.txt"), &err);
    for expected in [
        "error: image `img/award.jpg` not found",
        "--> content/stories/ana.md:16:64",
        "no static/img/award.jpg",
        "= help: put the file at static/img/award.jpg",
        // Both are reported, the page's with a suggestion.
        "error: image `img/teem.png` not found",
        "--> content/pages/benefits.md:6:13",
        "= help: did you mean `img/team.png`?",
        "error: the site has 2 errors",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    // The images that exist are not reported.
    assert!(!err.contains("img/ana.jpg") && !err.contains("`/img/team.png`"), "{err}");

    // `build` refuses the same way and writes nothing.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = storypath(&root, &["build", "--output-dir", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--> content/stories/ana.md:16:64"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn an_image_climbing_out_of_static_is_an_error() {
    let site = fixed_site();
    let page = site.path().join("content/pages/benefits.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n![secret](../site.toml)\n")).unwrap();
    let o = storypath(site.path(), &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error: image `../site.toml` is outside static/"), "{err}");
    assert!(err.contains("--> content/pages/benefits.md:14:11"), "{err}");
}

#[test]
fn check_warns_about_the_frames_and_videos_a_body_loses() {
    let site = fixed_site();
    let o = storypath(site.path(), &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for expected in [
        "warning[removed-embed]: the `<iframe>` in this body is removed from the page",
        "--> content/stories/ana.md:21:1",
        "help: put a video in the story's `video` key: video = { url = \"https://www.youtube.com/watch?v=…\", transcript = \"…\" }",
        "warning[removed-embed]: the `<video>` in this body is removed from the page",
        "--> content/pages/benefits.md:12:1",
        "help: put the video in a story's `video` key, or link to it",
        "No errors: 1 story, 1 page; 2 warnings.",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    // JSON for CI carries the same line and column.
    let o = storypath(site.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    let w = doc["warnings"].as_array().unwrap();
    let iframe = w.iter().find(|w| w["message"].as_str().unwrap().contains("<iframe>")).unwrap();
    assert_eq!(
        (iframe["file"].as_str(), iframe["line"].as_u64(), iframe["column"].as_u64()),
        (Some("content/stories/ana.md"), Some(21), Some(1))
    );
}

/// The file a page-relative URL names in the output (`../img/a.jpg` from
/// `stories/ana/index.html`), or None for another site, a fragment, mailto.
fn resolve(out: &Path, page: &str, url: &str) -> Option<PathBuf> {
    if url.is_empty() || url.starts_with('#') || url.contains(':') || url.starts_with("//") {
        return None;
    }
    assert!(!url.starts_with('/'), "{page}: root-relative `{url}` breaks when opened from disk or moved");
    let url = &url[..url.find(['?', '#']).unwrap_or(url.len())];
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in url.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "{page}: `{url}` climbs out of the output");
            }
            s => parts.push(s),
        }
    }
    let mut path = out.join(parts.join("/"));
    if url.ends_with('/') || url.is_empty() {
        path = path.join("index.html");
    }
    Some(path)
}

/// The body of a page as the theme shows it (inside `<div class="prose">`).
fn prose(html: &str) -> &str {
    let start = html.find("<div class=\"prose\">").expect("a prose body");
    let rest = &html[start..];
    // To the `</div>` that closes it.
    let mut depth = 0;
    let mut at = 0;
    while let Some(i) = rest[at..].find("div") {
        let i = at + i;
        if rest[..i].ends_with('<') {
            depth += 1;
        } else if rest[..i].ends_with("</") {
            depth -= 1;
            if depth == 0 {
                return &rest[..i + 4];
            }
        }
        at = i + 3;
    }
    panic!("unclosed prose div")
}

#[test]
fn build_shows_body_images_as_pictures_and_links_resolve_under_the_subpath() {
    let site = fixed_site();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = storypath(site.path(), &["build", "--output-dir", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The originals are not published: only resized copies.
    assert!(!out.join("img/ana.jpg").exists() && !out.join("img/team.png").exists());

    for page in ["stories/ana/index.html", "benefits/index.html"] {
        let html = read(&out, page);
        // Every link and image of the page resolves to a file of the output.
        let mut urls: Vec<&str> = attrs(&html, "href");
        urls.extend(attrs(&html, "src"));
        for set in attrs(&html, "srcset") {
            urls.extend(set.split(", ").map(|c| c.rsplit_once(' ').map_or(c, |(u, _)| u)));
        }
        for url in urls {
            if let Some(file) = resolve(&out, page, url) {
                assert!(file.is_file(), "{page}: `{url}` names {}, which is not in the output", file.display());
            }
        }
        let body = prose(&html);
        assert!(!body.contains("<iframe") && !body.contains("<video"), "{page}: {body}");
        assert!(!body.contains("/careers/"), "{page}: links are relative to the page: {body}");
    }

    let story = read(&out, "stories/ana/index.html");
    let body = prose(&story);
    // `img/ana.jpg` (relative) and `/img/team.png` (root-relative) are both files under static/.
    assert_eq!(body.matches("<picture>").count(), 2, "{body}");
    let sizes = "sizes=\"(max-width: 760px) calc(100vw - 32px), 42em\"";
    assert_eq!(body.matches(sizes).count(), 4, "a <source> and an <img> per picture: {body}");
    for (webp, fallback) in
        [("../../img/ana.480x320.", "../../img/ana.800x533."), ("../../img/team.480x320.", "../../img/team.480x320.")]
    {
        assert!(body.contains(&format!("<source type=\"image/webp\" srcset=\"{webp}")), "{webp}: {body}");
        assert!(body.contains(&format!("<img src=\"{fallback}")), "{fallback}: {body}");
    }
    assert!(
        body.contains("width=\"800\" height=\"533\" alt=\"Ana on her first day\" title=\"Day one\" loading=\"lazy\""),
        "{body}"
    );
    // Raw HTML: the resized file, with its size.
    let raw = body.find("alt=\"The team again\"").expect("the raw <img>");
    let tag = &body[body[..raw].rfind("<img").unwrap()..raw];
    assert!(
        tag.starts_with("<img src=\"../../img/team.480x320.") && tag.contains(".png\" width=\"480\" height=\"320\""),
        "{tag}"
    );
    // The root-relative link goes to the page under /careers/; the relative one stays.
    assert!(body.contains("<a href=\"../../benefits/\">our benefits</a>"), "{body}");
    assert!(body.contains("<a href=\"../\">all stories</a>"), "{body}");

    let page = read(&out, "benefits/index.html");
    let body = prose(&page);
    assert!(body.contains("<a href=\"../stories/ana/\">"), "{body}");
    assert!(body.contains("<picture><source type=\"image/webp\" srcset=\"../img/team.480x320."), "{body}");
    // A raw <img> that gives its width keeps it.
    assert!(body.contains("<img src=\"../img/ana.800x533.") && body.contains("alt=\"Ana\" width=\"480\">"), "{body}");
    // The fallback files are what they say.
    let src = attrs(body, "src").into_iter().find(|s| s.contains("ana.800x533")).unwrap();
    let jpeg = std::fs::read(resolve(&out, "benefits/index.html", src).unwrap()).unwrap();
    assert_eq!(&jpeg[..2], b"\xff\xd8", "a JPEG");
}

#[test]
fn serve_reports_a_missing_image_added_to_a_body() {
    use std::collections::BTreeSet;
    use storypath::pipeline::{Options, Session};
    let site = fixed_site();
    let opts = Options { root: site.path().to_path_buf(), ..Default::default() };
    let mut session = Session::default();
    session.run(&opts, &BTreeSet::new()).unwrap_or_else(|f| panic!("{}", f.report()));
    let story = site.path().join("content/stories/ana.md");
    let text = std::fs::read_to_string(&story).unwrap();
    let touched: BTreeSet<String> = ["content/stories/ana.md".to_string()].into();
    // An edit of the body alone keeps the model, and shows the new image.
    std::fs::write(&story, format!("{text}\n![Again](img/team.png)\n")).unwrap();
    let r = session.run(&opts, &touched).unwrap_or_else(|f| panic!("{}", f.report()));
    assert!(r.kept_model);
    let page = r.outputs.iter().find(|o| o.path == "stories/ana/index.html").unwrap();
    let html = String::from_utf8(page.content.bytes().unwrap().into_owned()).unwrap();
    assert!(html.contains("alt=\"Again\" loading=\"lazy\""), "{}", prose(&html));
    // But not a broken image: that is reported as `build` would.
    std::fs::write(&story, format!("{text}\n![Gone](img/gone.jpg)\n")).unwrap();
    let report = match session.run(&opts, &touched) {
        Ok(_) => panic!("a missing image was served without a word"),
        Err(f) => f.report(),
    };
    assert!(report.contains("error: image `img/gone.jpg` not found"), "{report}");
    assert!(report.contains("--> content/stories/ana.md:23:9"), "{report}");
}
