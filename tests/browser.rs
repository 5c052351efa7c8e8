//! The one check that needs a real browser for `serve`: an open page reloads
//! by itself after a save. Drives Debian's headless Chromium with
//! playwright-core (tests/browser/); `.ci/run` installs both.

mod common;

use common::browser::node;
use common::server::Server;
use common::{copy_site, repo};

/// The demo served by `storypath serve` from a scratch copy, and the path of
/// a story in it.
fn served_demo() -> (tempfile::TempDir, Server, std::path::PathBuf) {
    let site = tempfile::tempdir().unwrap();
    copy_site(&repo(), site.path());
    let server = Server::start(site.path(), &[]);
    let story = site.path().join("content/stories/ada-okafor.md");
    (site, server, story)
}

#[test]
fn an_open_page_reloads_by_itself_after_a_save() {
    let (_site, server, story) = served_demo();
    let page = format!("{}stories/ada-okafor/", server.url);
    let args = [page.into(), story.into(), "dinner table".into(), "reloaded table".into()];
    let stdout = node("reload.mjs", &args, &|| server.stderr());
    assert!(stdout.contains("reloaded_after_ms"), "{stdout}");
    eprintln!("browser reload: {stdout}");
}

/// Every kind of page of the demo site, by a short name (screenshots are
/// named after it).
const PAGE_TYPES: &[(&str, &str)] = &[
    ("home", ""),
    ("stories", "stories/"),
    ("story", "stories/ada-okafor/"),
    ("task-list", TASK_LIST_STORY.1),
    ("roles", "roles/"),
    ("role", "roles/wfm-analyst/"),
    ("map", "map/"),
    ("families", "families/"),
    ("family", "families/ruth-okafor/"),
    ("jobs", "jobs/"),
    ("job", "jobs/team-lead-customer-support-nights-4012360/"),
    ("origins", "origins/"),
    ("origin", "origins/by-accident/"),
    ("tags", "tags/"),
    ("tag", "tags/analytics/"),
    ("page", "benefits/"),
    ("not-found", "no-such-page/"),
];

/// A story whose body has a Markdown task list: its checkboxes must be
/// named (axe `label`, critical), so axe has to see some.
const TASK_LIST_STORY: (&str, &str) = ("content/stories/ruth-okafor.md", "stories/ruth-okafor/");

#[test]
fn every_page_type_is_accessible_fits_a_phone_and_searches() {
    for theme in common::THEMES {
        check_pages(theme);
    }
}

/// Builds the demo with `theme` and checks every page type in Chromium.
/// Screenshots go to `target/screenshots/<theme>/`.
fn check_pages(theme: &str) {
    use common::static_files::StaticServer;
    let site = common::demo_with_theme(theme);
    if theme != "horizon" {
        // Other brand colours too, a light primary and a dark accent: the
        // theme's text colours on them are derived, and must still read.
        let toml = site.path().join("site.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        let text = text.replace("primary_color = \"#14532d\"", "primary_color = \"#facc15\"");
        let text = text.replace("accent_color = \"#f59e0b\"", "accent_color = \"#1e3a8a\"");
        assert!(text.contains("#facc15") && text.contains("#1e3a8a"));
        std::fs::write(&toml, text).unwrap();
    }
    assert!(common::read(site.path(), TASK_LIST_STORY.0).contains("\n- [ ] "), "{} has a task list", TASK_LIST_STORY.0);
    let (_tmp, out) = common::build(site.path(), &[]);
    let server = StaticServer::start(&out, "/careers/");
    let shots = repo().join("target/screenshots").join(theme);
    std::fs::create_dir_all(&shots).unwrap();
    let mut args = vec![server.url.clone().into(), shots.clone().into()];
    args.extend(PAGE_TYPES.iter().map(|(name, path)| format!("{name}={path}").into()));
    let stdout = node("pages.mjs", &args, &|| format!("theme {theme}"));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let mut problems = Vec::new();
    for (name, _) in PAGE_TYPES {
        let p = &report["pages"][name];
        let status = if *name == "not-found" { 404 } else { 200 };
        if p["status"] != status {
            problems.push(format!("{name}: status {}", p["status"]));
        }
        for mode in ["axe_light", "axe_dark"] {
            for v in p[mode].as_array().unwrap() {
                problems.push(format!("{name} ({mode}): {} [{}] {}", v["id"], v["impact"], v["nodes"]));
            }
        }
        if p["sideways"].as_i64().unwrap() > 0 {
            problems.push(format!("{name}: scrolls sideways by {} px at 375 px", p["sideways"]));
        }
        if *name == "task-list" && p["checkboxes"].as_u64() < Some(1) {
            problems.push(format!("{name}: no checkbox for axe to check ({})", p["checkboxes"]));
        }
        for o in p["overlaps"].as_array().unwrap() {
            problems.push(format!("{name}: map labels overlap: {o}"));
        }
    }
    assert!(problems.is_empty(), "theme {theme}:\n{}", problems.join("\n"));
    for name in ["home", "story", "role", "map"] {
        for w in ["1280", "375"] {
            assert!(shots.join(format!("{name}-{w}.png")).is_file(), "screenshot {name}-{w}");
        }
    }
    let s = &report["search"];
    assert_eq!(s["visible"], true, "the search box shows with JavaScript");
    let results: Vec<&str> = s["results"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(results.contains(&"Scheduler"), "searching `scheduler` finds the role: {s}");
    assert!(results.len() >= 2, "and the stories of schedulers: {s}");
    assert_eq!(s["visible_without_js"], false, "no dead search box without JavaScript");
    assert_eq!(s["cards_without_js"], s["cards"], "without JavaScript the page is the full list");
    assert!(s["cards"].as_u64().unwrap() >= 12);
}

#[test]
fn a_story_saved_a_hundred_times_reloads_whole_pages_in_a_browser() {
    let (_site, server, story) = served_demo();
    let page = format!("{}stories/ada-okafor/", server.url);
    let stdout = node("edits.mjs", &[page.into(), story.into()], &|| server.stderr());
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let loads = report["loads"].as_array().unwrap();
    eprintln!("100 saves in {} s: the page loaded {} times", report["seconds"], loads.len());
    assert!(loads.len() >= 5, "the page reloaded as saves came in: {report}");
    for l in &loads[1..] {
        assert_eq!(l["whole"], true, "a whole page: {l}");
        assert_eq!(l["title"], l["body"], "title and body from one save: {l}");
    }
    assert_eq!(loads.last().unwrap()["body"], 99, "the last save is shown");
    assert_eq!(server.get(&server.base()).status, 200, "still serving");
}

/// The Arabic–English site (tests/sites/arabic-english, Arabic the default,
/// right to left) in Chromium: every kind of page in both languages passes
/// axe in light and dark mode, fits a 375 px phone, keeps map labels apart,
/// and the Arabic search box finds an Arabic role. The Nu checker reads
/// every page too. Screenshots go to `target/screenshots/arabic-english/`.
#[test]
fn an_arabic_site_is_accessible_valid_and_fits_a_phone() {
    use common::static_files::StaticServer;
    let site = repo().join("tests/sites/arabic-english");
    let (_tmp, out) = common::build(&site, &[]);
    common::browser::nu_check(&out);
    let home = common::read(&out, "index.html");
    assert!(home.contains("<html lang=\"ar\" dir=\"rtl\">"), "{}", &home[..120]);
    assert!(common::read(&out, "en/index.html").contains("<html lang=\"en\">"));
    // One page of each kind, found in the output: the first story and role.
    let files = common::tree(&out);
    let first = |prefix: &str| {
        files
            .keys()
            .find_map(|k| {
                let rest = k.strip_prefix(prefix)?.strip_suffix("/index.html")?;
                (!rest.is_empty() && !rest.contains('/')).then(|| format!("{prefix}{rest}/"))
            })
            .unwrap_or_else(|| panic!("no page under {prefix}"))
    };
    let mut pages: Vec<(String, String)> = Vec::new();
    for (lang, prefix) in [("ar", ""), ("en", "en/")] {
        for (kind, path) in [
            ("home", prefix.to_string()),
            ("stories", format!("{prefix}stories/")),
            ("story", first(&format!("{prefix}stories/"))),
            ("roles", format!("{prefix}roles/")),
            ("role", first(&format!("{prefix}roles/"))),
            ("map", format!("{prefix}map/")),
        ] {
            pages.push((format!("{lang}-{kind}"), path));
        }
    }
    // The search: an Arabic role title, as a reader would type it.
    let index: serde_json::Value = serde_json::from_str(&common::read(&out, "search.json")).unwrap();
    let role = index["roles"][0]["title"].as_str().unwrap().to_string();
    let server = StaticServer::start(&out, "/careers/");
    let shots = repo().join("target/screenshots/arabic-english");
    std::fs::create_dir_all(&shots).unwrap();
    let mut args = vec![server.url.clone().into(), shots.clone().into(), format!("?search={role}").into()];
    args.extend(pages.iter().map(|(name, path)| format!("{name}={path}").into()));
    let stdout = node("pages.mjs", &args, &|| "arabic-english".into());
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let mut problems = Vec::new();
    for (name, _) in &pages {
        let p = &report["pages"][name];
        if p["status"] != 200 {
            problems.push(format!("{name}: status {}", p["status"]));
        }
        for mode in ["axe_light", "axe_dark"] {
            for v in p[mode].as_array().unwrap() {
                problems.push(format!("{name} ({mode}): {} [{}] {}", v["id"], v["impact"], v["nodes"]));
            }
        }
        if p["sideways"].as_i64().unwrap() > 0 {
            problems.push(format!("{name}: scrolls sideways by {} px at 375 px", p["sideways"]));
        }
        for o in p["overlaps"].as_array().unwrap() {
            problems.push(format!("{name}: map labels overlap: {o}"));
        }
    }
    assert!(problems.is_empty(), "arabic-english:\n{}", problems.join("\n"));
    let s = &report["search"];
    let results: Vec<&str> = s["results"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(results.contains(&role.as_str()), "searching `{role}` finds the role: {s}");
}
