//! Focus on a role (issue 15, part 5) in a real browser: on the demo's
//! /map/, Tab reaches a role node, its moves are highlighted and the rest
//! fade, a polite live region names the role, its moves and their people,
//! Escape clears, Enter still opens the role page; on a touch screen the
//! hint says a tap opens the role's page; without JavaScript the
//! map keeps its links and legend. Drives Debian's Chromium with
//! playwright-core (tests/browser/focus.mjs), like tests/browser.rs.
//! Screenshots of /map/ (light and dark, 1280 and 375 px) go to
//! target/screenshots/map-focus/.

mod common;

use common::repo;
use common::static_files::StaticServer;

#[test]
fn a_role_in_focus_shows_and_says_its_moves() {
    let (_tmp, out) = common::build(&repo(), &[]);
    let server = StaticServer::start(&out, "/careers/");
    let shots = repo().join("target/screenshots/map-focus");
    std::fs::create_dir_all(&shots).unwrap();
    let r =
        common::browser::node_json("focus.mjs", &[server.url.clone().into(), shots.clone().into()], "the demo's /map/");

    let before = &r["before"];
    assert_eq!(before["focusing"], false, "{before}");
    assert_eq!(before["live_polite"], "polite", "the script adds a polite live region: {before}");
    assert!(before["live_text"].as_str().unwrap().starts_with("Hover over a role"), "with a mouse: {before}");
    // On a touch screen a tap opens the role, and the hint says so.
    let touch = &r["touch"];
    assert_eq!(touch["hover_none"], true, "{touch}");
    assert_eq!(touch["shown"], true, "the full map's hint shows on a tablet: {touch}");
    assert!(touch["hint"].as_str().unwrap().starts_with("Tap a role to open its page"), "{touch}");

    assert_eq!(r["reached_by_tab"], true, "Tab reaches the role node");
    let f = &r["focused"];
    assert_eq!(f["focusing"], true, "{f}");
    let on = f["on"].as_array().unwrap();
    assert!(on.len() >= 2, "the agent's moves in and out are highlighted: {f}");
    assert!(on.iter().all(|e| e["from"] == "agent" || e["to"] == "agent"), "{f}");
    assert!(on.iter().any(|e| e["from"] == "agent") && on.iter().any(|e| e["to"] == "agent"), "in and out: {f}");
    assert!(on.iter().all(|e| e["opacity"].as_f64().unwrap() > 0.99), "{f}");
    let others = f["edges"].as_u64().unwrap() - on.len() as u64;
    assert_eq!(f["faded"].as_u64().unwrap(), others, "every other move fades: {f}");
    assert!(f["dimmed"].as_u64().unwrap() > 0, "unrelated roles fade: {f}");
    let live = f["live"].as_str().unwrap();
    assert!(live.contains("Customer Support Agent") || live.contains(f["title"].as_str().unwrap()), "{live}");
    // The people who made a move are named in it.
    assert!(on.iter().any(|e| e["title"].as_str().unwrap().contains(" people (")), "names: {f}");
    for e in on {
        // Each move as its title says it: the roles, how many, and who.
        assert!(live.contains(e["title"].as_str().unwrap()), "{live} lacks {}", e["title"]);
    }
    assert!(f["href"].as_str().unwrap().ends_with("roles/agent/"), "the node links to its role page: {f}");

    let esc = &r["escaped"];
    assert_eq!(esc["focusing"], false, "Escape clears: {esc}");
    assert_eq!(esc["on"].as_array().unwrap().len(), 0, "{esc}");
    assert_eq!(esc["faded"], 0, "{esc}");
    assert!(r["after_enter"].as_str().unwrap().ends_with("/careers/roles/agent/"), "Enter opens the role: {r}");

    let plain = &r["without_js"];
    assert_eq!(plain["nodes"], 18, "every role links without JavaScript: {plain}");
    assert_eq!(plain["legend"], true, "{plain}");
    assert_eq!(plain["live"], false, "no empty panel without JavaScript: {plain}");
    assert!(plain["titles"].as_u64().unwrap() > 10, "every move keeps its tooltip: {plain}");
    for scheme in ["light", "dark"] {
        for w in ["1280", "375"] {
            assert!(shots.join(format!("map-{scheme}-{w}.png")).is_file());
        }
    }
}
