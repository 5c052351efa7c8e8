//! Lighthouse's image audits on the demo site, built as it deploys (under
//! `/careers/`, default theme) and served like a static host: every image no
//! larger than it is shown, in a modern format, the LCP image neither
//! lazy-loaded nor discovered late, every image with its width and height, no
//! offscreen image loaded up front. On a phone and on a desktop. Lighthouse
//! 12 (tests/browser/lighthouse.mjs) drives Debian's headless Chromium.

mod common;

use common::browser::node_json;
use common::static_files::StaticServer;
use serde_json::Value;

/// The pages audited, by a short name: the home page, a story whose photo
/// is a JPEG, and the stories index with a card per story. (The demo has no
/// page with images in its body.)
const PAGES: &[(&str, &str)] = &[("home", ""), ("story", "stories/kofi-mensah/"), ("stories", "stories/")];

/// The story's photo, which must stay a raster the pipeline resizes and
/// converts: an SVG photo would pass the audits without testing them.
const STORY_PHOTO: (&str, &str) = ("content/stories/kofi-mensah.md", "photo = \"img/kofi-mensah.jpg\"");

/// Lighthouse's image audits, each of which must pass on every page.
const AUDITS: &[&str] = &[
    "uses-responsive-images",
    "modern-image-formats",
    "lcp-lazy-loaded",
    "unsized-images",
    "offscreen-images",
    "prioritize-lcp-image",
];

const FORM_FACTORS: &[&str] = &["mobile", "desktop"];

#[test]
fn the_demo_passes_lighthouses_image_audits() {
    let started = std::time::Instant::now();
    let site = common::demo_with_theme("horizon");
    let story = common::read(site.path(), STORY_PHOTO.0);
    assert!(story.contains(STORY_PHOTO.1), "{} has `{}`", STORY_PHOTO.0, STORY_PHOTO.1);
    let (_tmp, out) = common::build(site.path(), &[]);
    let built = started.elapsed();
    let server = StaticServer::start(&out, "/careers/");

    let mut args: Vec<std::ffi::OsString> = Vec::new();
    for f in FORM_FACTORS {
        args.extend(["--form-factor".into(), (*f).into()]);
    }
    args.extend(PAGES.iter().map(|(_, path)| format!("{}{path}", server.url).into()));
    let report = node_json("lighthouse.mjs", &args, "the demo built with the horizon theme, served under /careers/");

    let mut problems = Vec::new();
    let mut summary = Vec::new();
    for form_factor in FORM_FACTORS {
        for (name, path) in PAGES {
            let url = format!("{}{path}", server.url);
            let page = &report[form_factor][&url];
            let at = format!("{form_factor} {name} (/careers/{path})");
            if page.is_null() {
                problems.push(format!("{at}: no Lighthouse result"));
                continue;
            }
            if !page["runtimeError"].is_null() {
                problems.push(format!("{at}: Lighthouse failed: {}", page["runtimeError"]));
                continue;
            }
            // Images that never loaded would pass every audit: each page
            // loads raster photos, and every image it asks for is there.
            let images = page["info"]["images"].as_array().cloned().unwrap_or_default();
            for i in images.iter().filter(|i| i["status"] != 200) {
                problems.push(format!("{at}: image {} answered {}", i["url"], i["status"]));
            }
            let raster = |i: &&Value| ["image/webp", "image/jpeg", "image/png"].iter().any(|m| i["mimeType"] == *m);
            let photos: Vec<&str> = images.iter().filter(raster).filter_map(|i| i["url"].as_str()).collect();
            if photos.is_empty() {
                problems.push(format!("{at}: loaded no photo (images: {})", Value::Array(images.clone())));
            }
            if *name == "story" && !photos.iter().any(|u| u.contains("/img/kofi-mensah.")) {
                problems.push(format!("{at}: the story's own photo was not loaded (photos: {photos:?})"));
            }
            let lcp = &page["info"]["lcp"][0];
            let lcp = format!("{} {}", lcp["node"]["selector"], lcp["url"].as_str().unwrap_or("(not an image)"));
            let seconds = page["seconds"].as_f64().unwrap_or(0.0);
            let mut line = format!("{at}: {seconds:.1} s, {} photos, LCP {lcp}:", photos.len());
            for id in AUDITS {
                let a = &page["audits"][id];
                line.push_str(&format!(" {id}={}", score(a)));
                if a.is_null() {
                    problems.push(format!("{at}: Lighthouse did not run {id}"));
                } else if !passes(a) {
                    problems.push(format!("{at}: {id} {}", failure(a)));
                }
            }
            summary.push(line);
        }
    }
    eprintln!(
        "Lighthouse image audits (build {:.1} s, total {:.1} s):\n{}",
        built.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        summary.join("\n")
    );
    assert!(problems.is_empty(), "Lighthouse's image audits fail on the demo:\n{}", problems.join("\n"));
}

/// An audit passes with a score of 1, or when Lighthouse finds nothing it
/// applies to (no LCP image to have lazy-loaded or to prioritize).
fn passes(a: &Value) -> bool {
    a["scoreDisplayMode"] == "notApplicable" || a["score"].as_f64() == Some(1.0)
}

fn score(a: &Value) -> String {
    if a["scoreDisplayMode"] == "notApplicable" {
        "n/a".into()
    } else {
        a["score"].to_string()
    }
}

/// What Lighthouse holds against the page: its score, its estimate, and
/// every image it names with the bytes or time it says would be saved.
fn failure(a: &Value) -> String {
    let mut text = format!("scored {}: {}", score(a), a["title"].as_str().unwrap_or(""));
    if let Some(d) = a["displayValue"].as_str().filter(|d| !d.is_empty()) {
        text.push_str(&format!(" ({d})"));
    }
    if let Some(savings) = a["metricSavings"].as_object().filter(|m| m.values().any(|v| v.as_f64() > Some(0.0))) {
        let savings: Vec<String> = savings.iter().map(|(metric, ms)| format!("{metric} {ms} ms")).collect();
        text.push_str(&format!(", would save {}", savings.join(", ")));
    }
    if let Some(e) = a["errorMessage"].as_str() {
        text.push_str(&format!(", error: {e}"));
    }
    for item in a["items"].as_array().into_iter().flatten() {
        text.push_str(&format!("\n    {}", item["url"].as_str().unwrap_or("(no URL)")));
        let labels = [
            ("totalBytes", " B"),
            ("wastedBytes", " B wasted"),
            ("wastedPercent", "% wasted"),
            ("wastedMs", " ms wasted"),
        ];
        for (key, unit) in labels {
            if let Some(n) = item[key].as_i64() {
                text.push_str(&format!(", {n}{unit}"));
            }
        }
        if let Some(s) = item["node"]["snippet"].as_str() {
            text.push_str(&format!("\n      {s}"));
        }
    }
    text
}
