//! Video testimonials (issue 16, part 4) through the real binary, on the
//! fixture site tests/sites/video: a YouTube story behind a click-to-load
//! facade with the story's photo as poster, a Vimeo story (unlisted, no
//! poster, no photo: a branded panel), a self-hosted MP4 with WebVTT
//! captions and a poster, and a story without a video. Checks the markup,
//! the transcript, the VideoObject JSON-LD, the located errors, `serve`'s
//! incremental runs, and in Chromium that nothing leaves the machine before
//! play is pressed.

mod common;

use common::{attrs, build, copy_site, read, repo, stderr, storypath};
use serde_json::Value;
use std::path::PathBuf;

fn site() -> PathBuf {
    repo().join("tests/sites/video")
}

/// The page's main JSON-LD node: the first, when a page has several (its
/// BreadcrumbList follows it).
fn json_ld(html: &str) -> Value {
    let start = html.find("<script type=\"application/ld+json\">").expect("JSON-LD") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    match serde_json::from_str(&html[start..end]).expect("valid JSON-LD") {
        Value::Array(mut nodes) => nodes.swap_remove(0),
        node => node,
    }
}

fn meta<'a>(html: &'a str, prop: &str) -> &'a str {
    let needle = format!("<meta property=\"{prop}\" content=\"");
    let at = html.find(&needle).unwrap_or_else(|| panic!("no {prop}")) + needle.len();
    &html[at..at + html[at..].find('"').unwrap()]
}

/// What the page makes a browser fetch on load (not links): every `src`,
/// `poster` and stylesheet, and no third-party address among them.
fn assert_loads_nothing_from_elsewhere(page: &str, html: &str) {
    let mut loads: Vec<&str> = attrs(html, "src");
    loads.extend(attrs(html, "poster"));
    loads.extend(attrs(html, "srcset"));
    for l in loads {
        assert!(!l.contains("//"), "{page} loads {l} on its own");
    }
    for tag in ["<iframe", "rel=\"preconnect\"", "rel=\"dns-prefetch\"", "<embed", "<object"] {
        assert!(!html.contains(tag), "{page} has {tag}");
    }
}

#[test]
fn youtube_and_vimeo_are_click_to_load_facades() {
    let (_t, out) = build(&site(), &[]);
    let ana = read(&out, "stories/ana/index.html");
    assert_loads_nothing_from_elsewhere("ana", &ana);
    // YouTube, with the story's photo as the poster.
    assert!(
        ana.contains("<div class=\"video-box video-facade\" data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\" data-title=\"YouTube video: From retail to &lt;the&gt; phones &amp; back\">"),
        "{ana}"
    );
    // The photo is the poster, from the image pipeline (16:9, WebP and
    // JPEG), linked relative to the page and loaded lazily.
    let poster = &ana[ana.find("class=\"video-poster\"").expect("a poster")..];
    let poster = &poster[..poster.find('>').unwrap()];
    let start = ana[..ana.find("class=\"video-poster\"").unwrap()].rfind("<picture>").expect("in a <picture>");
    assert!(ana[start..].starts_with("<picture><source type=\"image/webp\" srcset=\"../../img/ana."), "{poster}");
    assert!(
        poster.contains(" src=\"../../img/ana.") && poster.contains(".jpg\"") && poster.contains("loading=\"lazy\""),
        "{poster}"
    );
    assert!(ana.contains("<a class=\"video-play\" href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\" aria-label=\""));
    assert!(
        ana.contains(
            " aria-label=\"Play video: From retail to &lt;the&gt; phones &amp; back\"><span class=\"video-play-pill\">"
        ),
        "the button is named \"Play video: <title>\", escaped, and says \"Play video\""
    );
    assert!(!ana.contains("<the>"), "the title is escaped everywhere");
    let script = attrs(&ana, "src").into_iter().find(|s| s.contains("js/video.")).expect("video.js is loaded");
    assert!(
        script.starts_with("../../js/video.") && script.ends_with(".js") && script.len() > "../../js/video..js".len()
    );
    assert!(out.join(script.trim_start_matches("../../")).is_file(), "{script} is written");
    assert!(ana.contains(&format!("<script src=\"{script}\" defer></script>")));

    // Vimeo, unlisted (with its hash), without poster or photo: a branded panel, no image.
    let bo = read(&out, "stories/bo/index.html");
    assert_loads_nothing_from_elsewhere("bo", &bo);
    assert!(
        bo.contains("<div class=\"video-box video-facade video-branded\" data-embed=\"https://player.vimeo.com/video/76979871?h=8272103f6e&amp;dnt=1&amp;autoplay=1\" data-title=\"Vimeo video: The schedule is a puzzle I like\">"),
        "{bo}"
    );
    assert!(!bo.contains("video-poster"), "no poster image without a poster or photo");
    assert!(bo.contains("<a class=\"video-play\" href=\"https://vimeo.com/76979871/8272103f6e\" aria-label=\"Play video: The schedule is a puzzle I like\">"));
    assert!(bo.contains("nothing loads from Vimeo until you press play"));
    assert!(bo.contains("js/video."));

    // Pages without a facade do not load the script.
    for page in ["stories/cy/index.html", "stories/di/index.html", "index.html", "stories/index.html"] {
        let html = read(&out, page);
        assert!(!html.contains("js/video."), "{page} loads video.js");
        assert!(!html.contains("video-facade"), "{page}");
    }
    assert!(!read(&out, "stories/di/index.html").contains("class=\"video"), "no video, no video section");
}

#[test]
fn a_self_hosted_video_plays_in_a_video_element_with_captions() {
    let (_t, out) = build(&site(), &[]);
    let cy = read(&out, "stories/cy/index.html");
    assert_loads_nothing_from_elsewhere("cy", &cy);
    assert!(
        cy.contains("<video class=\"video-box video-file\" controls preload=\"none\" width=\"1280\" height=\"720\" poster=\"../../img/cy-poster."),
        "{cy}"
    );
    assert!(cy.contains("<source src=\"../../video/cy.mp4\" type=\"video/mp4\">"), "a root-relative url resolves too");
    assert!(cy
        .contains("<track kind=\"captions\" src=\"../../video/cy.vtt\" srclang=\"en-GB\" label=\"Captions\" default>"));
    for f in ["video/cy.mp4", "video/cy.vtt"] {
        assert!(out.join(f).is_file(), "{f} is published");
    }
    // The poster goes through the image pipeline: resized, not the original.
    assert!(!out.join("img/cy-poster.jpg").exists());
    let at = cy.find("poster=\"../../").unwrap() + "poster=\"../../".len();
    let poster = &cy[at..at + cy[at..].find('"').unwrap()];
    assert!(out.join(poster).is_file(), "{poster} is published");
}

#[test]
fn the_transcript_is_escaped_text_in_paragraphs_under_the_player() {
    let (_t, out) = build(&site(), &[]);
    let ana = read(&out, "stories/ana/index.html");
    let at = ana.find("<details class=\"video-transcript\"><summary>Transcript</summary>").expect("a transcript");
    assert!(at > ana.find("video-facade").unwrap(), "under the player");
    let end = at + ana[at..].find("</details>").unwrap();
    let paragraphs: Vec<&str> = ana[at..end].match_indices("<p>").map(|(i, _)| &ana[at + i..]).collect();
    assert_eq!(paragraphs.len(), 2, "{}", &ana[at..end]);
    assert!(paragraphs[0].starts_with(
        "<p>I worked in a shop for two years. The &lt;b&gt;store&lt;/b&gt; closed &amp; I needed a job.</p>"
    ));
    assert!(paragraphs[1].starts_with("<p>A friend said: &quot;try the phones&quot;. I did, and I stayed.</p>"));
    assert!(!ana.contains("<b>store"));
    let bo = read(&out, "stories/bo/index.html");
    assert!(bo.contains("<p>Every Monday I look at last week&#39;s calls and guess this week&#39;s.</p>"), "{bo}");
}

#[test]
fn story_pages_carry_a_video_object() {
    let (_t, out) = build(&site(), &[]);
    let ana_html = read(&out, "stories/ana/index.html");
    let ana = json_ld(&ana_html);
    assert_eq!(ana["@type"], "Article");
    let v = &ana["video"];
    assert_eq!(v["@type"], "VideoObject");
    assert_eq!(v["name"], "From retail to <the> phones & back");
    assert_eq!(v["uploadDate"], "2020-03-01");
    assert_eq!(v["embedUrl"], "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
    assert!(v.get("contentUrl").is_none());
    let thumb = v["thumbnailUrl"].as_str().unwrap();
    assert!(thumb.starts_with("https://example.org/careers/") && thumb.ends_with(".jpg"), "a published JPEG: {thumb}");
    assert_eq!(v["thumbnailUrl"].as_str(), Some(meta(&ana_html, "og:image")));
    let description = v["description"].as_str().unwrap();
    assert!(description.starts_with("I worked in a shop for two years.") && description.chars().count() <= 201);
    let transcript = v["transcript"].as_str().unwrap();
    assert!(
        transcript.contains("closed & I needed a job.\n\nA friend said: \"try the phones\". I did"),
        "{transcript}"
    );
    assert!(!ana_html.contains("<b>store</b>"), "the JSON-LD escapes markup too");

    // No poster, no photo: the page's share card is the thumbnail.
    let bo_html = read(&out, "stories/bo/index.html");
    let bo = &json_ld(&bo_html)["video"];
    assert_eq!(bo["@type"], "VideoObject");
    assert_eq!(bo["embedUrl"], "https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1");
    let thumb = bo["thumbnailUrl"].as_str().unwrap();
    assert_eq!(thumb, meta(&bo_html, "og:image"));
    assert!(thumb.starts_with("https://example.org/careers/") && thumb.ends_with(".png"), "{thumb}");
    assert!(out.join(thumb.trim_start_matches("https://example.org/careers/")).is_file(), "{thumb} is written");
    assert_eq!(
        bo["description"],
        "Every Monday I look at last week's calls and guess this week's. Most weeks I am close."
    );

    // A file of the site's own: its absolute address, the poster, the captions.
    let cy = &json_ld(&read(&out, "stories/cy/index.html"))["video"];
    assert_eq!(cy["contentUrl"], "https://example.org/careers/video/cy.mp4");
    assert_eq!(cy["encodingFormat"], "video/mp4");
    assert!(cy.get("embedUrl").is_none());
    let thumb = cy["thumbnailUrl"].as_str().unwrap();
    assert!(thumb.starts_with("https://example.org/careers/img/cy-poster.") && thumb.ends_with(".jpg"), "{thumb}");
    assert_eq!(cy["caption"]["contentUrl"], "https://example.org/careers/video/cy.vtt");
    assert_eq!(cy["uploadDate"], "2022-09-15");
    assert_eq!(cy["inLanguage"], "en-GB");

    assert!(json_ld(&read(&out, "stories/di/index.html")).get("video").is_none());
}

/// A copy of the fixture with `stories` (file name, text) added.
fn with_stories(stories: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&site(), tmp.path());
    for (name, text) in stories {
        std::fs::write(tmp.path().join("content/stories").join(name), text).unwrap();
    }
    tmp
}

fn story(video: &str) -> String {
    format!("+++\ntitle = \"T\"\nname = \"Nia Lee\"\ndate = 2024-01-01\nrole = \"agent\"\n{video}\n+++\nBody.\n")
}

/// The error of `report` at `file`: its lines from `error:` to the blank
/// line after the help.
fn error_at<'r>(report: &'r str, at: &str) -> &'r str {
    let i = report.find(&format!("--> {at}\n")).unwrap_or_else(|| panic!("no error at {at}:\n{report}"));
    let start = report[..i].rfind("error: ").unwrap();
    let end = report[i..].find("\n\n").map_or(report.len(), |e| i + e);
    &report[start..end]
}

#[test]
fn bad_videos_are_located_errors_with_hints() {
    // (file, its video line, what the error points at, message, hint)
    let cases = [
        (
            "no-transcript.md",
            "video = { url = \"https://youtu.be/dQw4w9WgXcQ\" }",
            "{ url",
            "missing required key `transcript` in `video`",
            "add transcript = \"...\" (a text version of what is said)",
        ),
        (
            "empty-transcript.md",
            "video = { url = \"https://youtu.be/dQw4w9WgXcQ\", transcript = \"\" }",
            "\"\" }",
            "`transcript` is empty",
            "write what is said in the video",
        ),
        (
            "bad-url.md",
            "video = { url = \"https://www.dailymotion.com/video/x7\", transcript = \"Hi\" }",
            "\"https://www.dailymotion",
            "`https://www.dailymotion.com/video/x7` is not a YouTube or Vimeo address",
            "use a YouTube address (https://www.youtube.com/watch?v=...), a Vimeo address",
        ),
        (
            "bad-id.md",
            "video = { url = \"https://www.youtube.com/watch?v=abc\", transcript = \"Hi\" }",
            "\"https://www.youtube",
            "`abc` is not a YouTube video id",
            "11 letters, digits, `-` or `_`",
        ),
        (
            "bad-file.md",
            "video = { url = \"video/nia.mov\", transcript = \"Hi\" }",
            "\"video/nia.mov",
            "`video/nia.mov` is not a video storypath can show",
            "an .mp4 or .webm under static/",
        ),
        (
            "missing-file.md",
            "video = { url = \"video/nia.mp4\", transcript = \"Hi\" }",
            "\"video/nia.mp4",
            "video file `video/nia.mp4` not found",
            "did you mean `video/cy.mp4`?",
        ),
        (
            "missing-captions.md",
            "video = { url = \"/video/cy.mp4\", captions = \"video/nia.vtt\", transcript = \"Hi\" }",
            "\"video/nia.vtt",
            "captions file `video/nia.vtt` not found",
            "did you mean `video/cy.vtt`?",
        ),
        (
            "missing-poster.md",
            "video = { url = \"https://vimeo.com/1\", poster = \"img/cy-poster.jpeg\", transcript = \"Hi\" }",
            "\"img/cy-poster.jpeg",
            "video poster `img/cy-poster.jpeg` not found",
            "did you mean `img/cy-poster.jpg`?",
        ),
        (
            "unknown-key.md",
            "video = { url = \"https://vimeo.com/1\", transcript = \"Hi\", captoins = \"x.vtt\" }",
            "captoins",
            "unknown key `captoins` in `video`",
            "did you mean `captions`?",
        ),
        (
            "typo.md",
            "vidoe = { url = \"https://vimeo.com/1\", transcript = \"Hi\" }",
            "vidoe",
            "unknown key `vidoe` in the front matter",
            "did you mean `video`?",
        ),
    ];
    let texts: Vec<(&str, String)> = cases.iter().map(|(file, line, ..)| (*file, story(line))).collect();
    let files: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let site = with_stories(&files);
    let out = site.path().join("out");
    let o = storypath(&["build", "--root", site.path().to_str().unwrap(), "--output-dir", out.to_str().unwrap()]);
    let report = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(!out.exists(), "nothing written");
    assert!(report.contains(&format!("error: the site has {} errors", cases.len())), "every error at once:\n{report}");
    for ((file, line, points_at, message, hint), (_, text)) in cases.iter().zip(&texts) {
        // The line of the .md file (the front matter starts on line 2), the column in it.
        let line_no = text.lines().position(|l| l == *line).unwrap() + 1;
        let column = line.find(points_at).unwrap() + 1;
        let e = error_at(&report, &format!("content/stories/{file}:{line_no}:{column}"));
        assert!(e.starts_with(&format!("error: {message}\n")), "{file}: {e}");
        let help = e.lines().find(|l| l.starts_with("  = help: ")).unwrap_or("");
        assert!(help.contains(hint), "{file}: {e}");
    }
    assert!(error_at(&report, "content/stories/missing-file.md:6:17").contains("no static/video/nia.mp4"));
}

#[test]
fn serve_re_renders_a_story_whose_video_changed() {
    use std::collections::BTreeSet;
    use storypath::pipeline::{Options, Session};
    let site = with_stories(&[]);
    let root = site.path();
    let opts = Options { root: root.to_path_buf(), ..Default::default() };
    let html = |r: &storypath::pipeline::Rebuilt, path: &str| {
        let o = r.outputs.iter().find(|o| o.path == path).unwrap_or_else(|| panic!("no {path}"));
        String::from_utf8(o.content.bytes().unwrap().into_owned()).unwrap()
    };
    let mut live = Session::default();
    live.run(&opts, &BTreeSet::new()).unwrap_or_else(|f| panic!("{}", f.report()));
    let edit = |rel: &str, from: &str, to: &str| {
        let p = root.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel}: {from}");
        std::fs::write(&p, text.replace(from, to)).unwrap();
        BTreeSet::from([rel.to_string()])
    };
    // The transcript: the page shows it (and keeps the model).
    let touched = edit("content/stories/ana.md", "I did, and I stayed.", "I did, and I am still here.");
    let r = live.run(&opts, &touched).unwrap_or_else(|f| panic!("{}", f.report()));
    let page = html(&r, "stories/ana/index.html");
    assert!(page.contains("I did, and I am still here.") && !page.contains("I stayed"));
    let fresh = Session::default().run(&opts, &BTreeSet::new()).unwrap_or_else(|f| panic!("{}", f.report()));
    assert_eq!(page, html(&fresh, "stories/ana/index.html"), "as a fresh run makes it");
    // The video itself: the page embeds the new one.
    let touched = edit("content/stories/ana.md", "watch?v=dQw4w9WgXcQ", "watch?v=aaaaaaaaaaa");
    let r = live.run(&opts, &touched).unwrap_or_else(|f| panic!("{}", f.report()));
    assert!(html(&r, "stories/ana/index.html").contains("youtube-nocookie.com/embed/aaaaaaaaaaa?autoplay=1"));
    // A captions file that does not exist is an error in serve too: the
    // files a video names are checked whenever they change.
    let touched = edit("content/stories/cy.md", "captions = \"video/cy.vtt\"", "captions = \"video/gone.vtt\"");
    let failure = live.run(&opts, &touched).err().expect("a missing captions file fails the run");
    assert!(failure.report().contains("captions file `video/gone.vtt` not found"), "{}", failure.report());
}

/// The fixture with `theme`, built and served as a host would, at its subpath.
fn served(theme: &str) -> (tempfile::TempDir, tempfile::TempDir, common::static_files::StaticServer) {
    let copy = with_stories(&[]);
    let toml = copy.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("theme = \"{theme}\"\n{text}")).unwrap();
    let (tmp, out) = build(copy.path(), &[]);
    let server = common::static_files::StaticServer::start(&out, "/careers/");
    (copy, tmp, server)
}

#[test]
fn in_chromium_nothing_leaves_the_machine_until_play_is_pressed() {
    let mut problems = Vec::new();
    for theme in common::THEMES {
        facades_in_chromium(theme, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checks of the facades of the fixture with `theme`.
fn facades_in_chromium(theme: &str, problems: &mut Vec<String>) {
    let (_site, _tmp, server) = served(theme);
    for (page, player, watch) in [
        (
            "stories/ana/",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        (
            "stories/bo/",
            "https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1&autoplay=1",
            "https://vimeo.com/76979871/8272103f6e",
        ),
    ] {
        let url = format!("{}{page}", server.url);
        let report = common::browser::node_json("video.mjs", &[url.clone().into()], &url);
        eprintln!("{theme} {page}: {report}");
        let page = format!("{theme} {page}");
        let before: Vec<&str> = report["before"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        assert!(before.iter().any(|u| u.contains("/js/video.")), "{page}: video.js was loaded: {before:?}");
        let away: Vec<&&str> = before.iter().filter(|u| !u.starts_with("http://127.0.0.1:")).collect();
        if !away.is_empty() {
            problems.push(format!("{page}: requests before the click left the machine: {away:?}"));
        }
        if report["third_party_before"] != 0 {
            problems.push(format!("{page}: third-party requests before the click: {}", report["third_party_before"]));
        }
        let after: Vec<&str> = report["after"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        if report["player_request"] != player || !after.contains(&player) {
            problems.push(format!("{page}: the click did not request {player}: {after:?}"));
        }
        let frame = &report["iframe"];
        if frame["src"] != player
            || frame["allow"] != "autoplay; fullscreen; picture-in-picture"
            || !frame["title"].as_str().unwrap_or("").contains("video: ")
        {
            problems.push(format!("{page}: the player frame is {frame}"));
        }
        if report["focus"] != "IFRAME" {
            problems.push(format!("{page}: focus is on {} after the click, not in the player", report["focus"]));
        }
        // The same 16:9 box before and after: no layout shift.
        let (b, a) = (&report["box_before"], &report["box_after"]);
        if b != a || (b["width"].as_f64().unwrap() * 9.0 / 16.0 - b["height"].as_f64().unwrap()).abs() > 1.5 {
            problems.push(format!("{page}: the box moved or is not 16:9: {b} then {a}"));
        }
        if report["button"]["name"].as_str() != Some(&*format!("Play video: {}", report["title"].as_str().unwrap())) {
            problems.push(format!("{page}: the play button is named {}", report["button"]["name"]));
        }
        for size in ["width", "height"] {
            if report["button"][size].as_f64().unwrap_or(0.0) < 44.0 {
                problems.push(format!("{page}: the play button is {} px {size}", report["button"][size]));
            }
        }
        if report["focus_ring"] == "none" {
            problems.push(format!("{page}: the play button shows no focus ring"));
        }
        if report["button"]["tag"] != "BUTTON" {
            problems.push(format!("{page}: with JavaScript the play control is a {}", report["button"]["tag"]));
        }
        let plain = &report["without_js"];
        if plain["tag"] != "A" || plain["href"] != watch || plain["requests_away"] != 0 {
            problems.push(format!("{page}: without JavaScript: {}", report["without_js"]));
        }
        if report["facade_left"] != 0 || report["transcript_open"] != true {
            problems.push(format!(
                "{page}: facade left {}, transcript opens {}",
                report["facade_left"], report["transcript_open"]
            ));
        }
        for mode in ["axe_light", "axe_dark"] {
            for v in report[mode].as_array().unwrap() {
                problems.push(format!("{page} ({mode}): {} [{}] {}", v["id"], v["impact"], v["nodes"]));
            }
        }
    }
}

#[test]
fn in_chromium_the_self_hosted_video_and_the_transcript_are_accessible() {
    for theme in common::THEMES {
        self_hosted_in_chromium(theme);
    }
}

fn self_hosted_in_chromium(theme: &str) {
    let (_site, _tmp, server) = served(theme);
    let url = format!("{}stories/cy/", server.url);
    let report = common::browser::node_json("video.mjs", &[url.clone().into(), "--file".into()], &url);
    eprintln!("{theme} cy: {report}");
    let mut problems = Vec::new();
    for mode in ["axe_light", "axe_dark"] {
        for v in report[mode].as_array().unwrap() {
            problems.push(format!("{theme} cy ({mode}): {} [{}] {}", v["id"], v["impact"], v["nodes"]));
        }
    }
    let away =
        report["before"].as_array().unwrap().iter().filter(|u| !u.as_str().unwrap().starts_with("http://127.0.0.1:"));
    assert_eq!(away.count(), 0, "{report}");
    assert_eq!(report["tracks"], 1, "{report}");
    let b = &report["box_before"];
    assert!((b["width"].as_f64().unwrap() * 9.0 / 16.0 - b["height"].as_f64().unwrap()).abs() < 1.5, "16:9: {b}");
    assert_eq!(report["transcript_open"], true, "the transcript opens: {report}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The pages with a facade, a `<video>` and a transcript are valid HTML
/// (the W3C Nu checker, as tests/validity.rs runs it on the demo).
#[test]
fn video_pages_pass_the_nu_html_checker() {
    let (_t, out) = build(&site(), &[]);
    common::browser::nu_check(&out);
}
