//! Issue 15, phones: a story page shows its person's journey whole on a
//! 375 px phone (a compact, vertical journey map, not the whole ladder),
//! `/map/` has a narrow form that reads at 375 px, and story pages stay
//! small on large ladders. The browser test drives Debian's headless
//! Chromium (tests/browser/phone.mjs); screenshots go to
//! `target/screenshots/phone/`.

mod common;

use common::{build, ladders, repo};

/// A demo story with a four-step journey that starts outside the ladder.
const STORY: &str = "stories/sharmane-good/";

#[test]
fn a_phone_shows_the_journey_whole_and_the_map_in_legible_columns() {
    use common::static_files::StaticServer;
    let (_tmp, out) = build(&repo(), &[]);
    let server = StaticServer::start(&out, "/careers/");
    let shots = repo().join("target/screenshots/phone");
    std::fs::create_dir_all(&shots).unwrap();
    let args = [server.url.clone().into(), shots.clone().into(), STORY.into(), "map/".into()];
    let report = common::browser::node_json("phone.mjs", &args, "demo site");
    let mut problems = Vec::new();
    for (view, r) in report["story"].as_object().unwrap() {
        let vw = r["viewport"].as_f64().unwrap();
        if r["status"] != 200 {
            problems.push(format!("story {view}: status {}", r["status"]));
        }
        if r["scroll_width"].as_f64().unwrap() > vw {
            problems.push(format!("story {view}: scrolls sideways ({} > {vw})", r["scroll_width"]));
        }
        if r["steps"].as_u64() != Some(4) {
            problems.push(format!("story {view}: {} journey boxes, expected 4", r["steps"]));
        }
        let b = &r["journey_box"];
        if !(b["left"].as_f64().unwrap_or(-1.0) >= 0.0 && b["right"].as_f64().unwrap_or(f64::MAX) <= vw) {
            problems.push(format!("story {view}: journey {b} is not inside the {vw} px viewport"));
        }
        if r["min_label_px"].as_f64().unwrap_or(0.0) < 12.0 {
            problems.push(format!("story {view}: map labels below 12 px: {}", r["small_labels"]));
        }
    }
    for (view, r) in report["map"].as_object().unwrap() {
        let vw = r["viewport"].as_f64().unwrap();
        if r["scroll_width"].as_f64().unwrap() > vw {
            problems.push(format!("map {view}: scrolls sideways ({} > {vw})", r["scroll_width"]));
        }
        if view.starts_with("375") {
            if r["labels"].as_u64().unwrap_or(0) < 20 || r["full_map_visible"] != false {
                problems.push(format!("map {view}: the narrow form should show, not the wide map: {r}"));
            }
            if r["min_label_px"].as_f64().unwrap_or(0.0) < 12.0 {
                problems.push(format!("map {view}: labels below 12 px: {}", r["small_labels"]));
            }
        }
        if view.starts_with("1280") && (r["full_map_visible"] != true || r["compact_maps_visible"] != 0) {
            problems.push(format!("map {view}: the wide map should show, alone: {r}"));
        }
    }
    for page in ["story", "map"] {
        for (view, r) in report[page].as_object().unwrap() {
            for o in r["overflows"].as_array().unwrap() {
                problems.push(format!("{page} {view}: a compact-map label runs out of its box: {o}"));
            }
        }
        for v in report[page]["375-light"]["axe"].as_array().unwrap() {
            problems.push(format!("{page} at 375 px: axe {v}"));
        }
    }
    assert!(problems.is_empty(), "{}\n\nreport: {report:#}", problems.join("\n"));
    for name in ["story", "map"] {
        for view in ["375-light", "375-dark", "768-light", "1280-light", "1280-dark"] {
            assert!(shots.join(format!("{name}-{view}.png")).is_file(), "screenshot {name}-{view}");
        }
    }
}

/// The page weight of issue 15: the full ladder was 54 KB of a 62 KB story
/// page at 48 roles; with the compact journey map a story page stays under
/// 30 KB at 50 roles, whatever its journey.
#[test]
fn a_story_page_at_fifty_roles_stays_under_30_kb() {
    let site = tempfile::tempdir().unwrap();
    ladders::generated(7, 50, 8).write_site(site.path(), 7, 120);
    let (_tmp, out) = build(site.path(), &[]);
    let sizes: Vec<(String, usize)> = common::html_files_of(&out)
        .into_iter()
        .filter(|(p, _)| p.starts_with("stories/") && p != "stories/index.html")
        .map(|(p, html)| (p, html.len()))
        .collect();
    assert_eq!(sizes.len(), 120);
    let (page, largest) = sizes.iter().max_by_key(|(_, n)| *n).unwrap();
    eprintln!("largest story page at 50 roles: {page}, {largest} bytes");
    assert!(*largest < 30 * 1024, "{page} is {largest} bytes; the budget is 30 KB");
    let html = common::read(&out, page);
    assert!(html.contains("class=\"sp-compact\"") && !html.contains("class=\"sp-map\""));
}

/// The map page's narrow form names every role of the ladder, each once
/// as a box (plus as chips where other roles lead to it).
#[test]
fn the_narrow_map_has_every_role_once_by_track() {
    let site = tempfile::tempdir().unwrap();
    let ladder = ladders::generated(11, 50, 8);
    ladder.write_site(site.path(), 11, 30);
    let (_tmp, out) = build(site.path(), &[]);
    let map = common::read(&out, "map/index.html");
    let narrow = &map[map.find("class=\"map-narrow\"").expect("the narrow form")..];
    assert_eq!(narrow.matches("<a class=\"spc-node\"").count(), 50);
    for r in &ladder.roles {
        assert_eq!(
            narrow.matches(&format!("<a class=\"spc-node\" href=\"../roles/{}/\">", r.id)).count(),
            1,
            "{}",
            r.id
        );
    }
}
