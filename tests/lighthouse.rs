//! Lighthouse on every page type of the demo site, built as it deploys
//! (under `/careers/`, default theme) and served like a static host, gzip
//! included: 100 in accessibility, best practices and SEO and at least 95 in
//! performance, and its image audits one by one (every image no larger than
//! it is shown, in a modern format, the LCP image neither lazy-loaded nor
//! discovered late, every image with its width and height, no offscreen
//! image loaded up front). On a phone and on a desktop. Lighthouse 12
//! (tests/browser/lighthouse.mjs) drives Debian's headless Chromium, one
//! browser for every page, one page at a time (pages audited side by side
//! would slow each other's measured main thread).

mod common;

use common::browser::node_json;
use common::static_files::StaticServer;
use serde_json::Value;

/// The pages audited, one of each type, by a short name.
const PAGES: &[(&str, &str)] = &[
    ("home", ""),
    ("stories", "stories/"),
    ("story", "stories/kofi-mensah/"),
    ("roles", "roles/"),
    ("role", "roles/wfm-analyst/"),
    ("map", "map/"),
    ("families", "families/"),
    ("family", "families/ruth-okafor/"),
    ("jobs", "jobs/"),
    ("job", "jobs/team-lead-customer-support-nights-4012360/"),
    ("tag", "tags/analytics/"),
    ("origin", "origins/by-accident/"),
    ("page", "how-we-hire/"),
    ("not-found", "no-such-page/"),
];

/// Pages that show raster photos, which must load: an image audit passes
/// on a page whose images never loaded. (The demo has no page with images
/// in its body.)
const PHOTO_PAGES: &[&str] = &["home", "story", "stories"];

/// The bar of each category, in Lighthouse's 0 to 1.
const BARS: &[(&str, f64)] = &[("performance", 0.95), ("accessibility", 1.0), ("best-practices", 1.0), ("seo", 1.0)];

/// Audits that may fail, each on one page only (on a phone and a desktop);
/// any other audit that fails, on any page, fails the test, and so does a
/// known failure that passes now (take it off the list).
const KNOWN: &[(&str, &str)] = &[
    // The not-found page answers 404, as it must.
    ("not-found", "http-status-code"),
    // Chromium logs the page's own 404 status as a console error.
    ("not-found", "errors-in-console"),
    // 404.html has `<meta name="robots" content="noindex">` on purpose: a
    // host that answers a missing page with 404.html and status 200 (a soft
    // 404) must not get it indexed.
    ("not-found", "is-crawlable"),
];

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
fn every_page_type_of_the_demo_passes_lighthouse() {
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
            let status = if *name == "not-found" { 404 } else { 200 };
            if page["info"]["status"] != status {
                problems.push(format!("{at}: answered {} (not {status})", page["info"]["status"]));
            }
            let bytes = &page["info"]["documentBytes"];
            if bytes["transfer"].as_f64() >= bytes["resource"].as_f64() {
                problems.push(format!("{at}: the page was not sent compressed ({bytes})"));
            }
            let mut line = format!("{at}: {:.1} s,", page["seconds"].as_f64().unwrap_or(0.0));
            for (category, bar) in BARS {
                let c = &page["categories"][category];
                let score = c["score"].as_f64();
                line.push_str(&format!(" {category}={}", score.map_or("-".into(), |s| format!("{:.0}", s * 100.0))));
                let failing: Vec<&Value> = c["failing"].as_array().into_iter().flatten().collect();
                let below = score.is_none_or(|s| s < *bar);
                // Performance is judged by its score, its audits listed to
                // read a low one by. The others must be 100: each audit
                // that counts towards them passes, but a known failure.
                let held_against: Vec<&Value> = if *category == "performance" {
                    if below {
                        failing.clone()
                    } else {
                        Vec::new()
                    }
                } else {
                    failing
                        .iter()
                        .copied()
                        .filter(|a| !KNOWN.contains(&(*name, a["id"].as_str().unwrap_or(""))))
                        .collect()
                };
                if below && (*category == "performance" || failing.is_empty() || !held_against.is_empty()) {
                    problems.push(format!("{at}: {category} scored {} (bar {bar})", c["score"]));
                }
                for a in held_against {
                    problems.push(format!("{at}: {category}: {} {}", a["id"], failure(a)));
                }
            }
            for (_, id) in KNOWN.iter().filter(|(p, _)| p == name) {
                let still = !page["audits"][id].is_null() && !passes(&page["audits"][id])
                    || BARS.iter().any(|(c, _)| {
                        page["categories"][c]["failing"].as_array().into_iter().flatten().any(|a| a["id"] == *id)
                    });
                if !still {
                    problems.push(format!("{at}: {id} passes now: take it off KNOWN"));
                }
            }
            // Images that never loaded would pass every audit: the photo
            // pages load raster photos, and every image a page asks for is
            // there.
            let images = page["info"]["images"].as_array().cloned().unwrap_or_default();
            // -1: Chromium gave the request up (a lazy image still loading
            // when Lighthouse stopped the page), which says nothing of the file.
            for i in images.iter().filter(|i| i["status"] != 200 && i["status"] != -1) {
                problems.push(format!("{at}: image {} answered {}", i["url"], i["status"]));
            }
            let raster = |i: &&Value| ["image/webp", "image/jpeg", "image/png"].iter().any(|m| i["mimeType"] == *m);
            let photos: Vec<&str> = images.iter().filter(raster).filter_map(|i| i["url"].as_str()).collect();
            if PHOTO_PAGES.contains(name) && photos.is_empty() {
                problems.push(format!("{at}: loaded no photo (images: {})", Value::Array(images.clone())));
            }
            if *name == "story" && !photos.iter().any(|u| u.contains("/img/kofi-mensah.")) {
                problems.push(format!("{at}: the story's own photo was not loaded (photos: {photos:?})"));
            }
            let lcp = &page["info"]["lcp"][0];
            let lcp = format!("{} {}", lcp["node"]["selector"], lcp["url"].as_str().unwrap_or("(not an image)"));
            line.push_str(&format!(", {} photos, LCP {lcp}:", photos.len()));
            for id in AUDITS {
                let a = &page["audits"][id];
                line.push_str(&format!(" {id}={}", score(a)));
                if a.is_null() {
                    problems.push(format!("{at}: Lighthouse did not run {id}"));
                } else if !passes(a) && !KNOWN.contains(&(*name, *id)) {
                    problems.push(format!("{at}: {id} {}", failure(a)));
                }
            }
            summary.push(line);
        }
    }
    eprintln!(
        "Lighthouse (build {:.1} s, total {:.1} s):\n{}",
        built.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        summary.join("\n")
    );
    assert!(problems.is_empty(), "Lighthouse fails on the demo:\n{}", problems.join("\n"));
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
