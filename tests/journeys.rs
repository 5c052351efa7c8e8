//! Journey years and role counts tell the truth (the map issue, part 6): a
//! step without `to` ends where the next step starts, only the current step
//! is "since", and role pages count everyone who held the role, with the
//! median time in it and how many moved on.

mod common;
use common::*;

/// The years of each step of a story page's journey, oldest first: read
/// from its compact map, whose boxes (latest first) end with the line
/// "track · level · years" (or "Outside the ladder · years").
fn years(html: &str) -> Vec<String> {
    let mut y: Vec<String> = html
        .split("class=\"spc-node")
        .skip(1)
        .filter_map(|node| {
            let node = &node[..node.find("</a>").or_else(|| node.find("</g>")).unwrap_or(node.len())];
            let last = node.split("<text class=\"spc-meta\" ").last()?;
            let line = last.split_once('>')?.1.split('<').next()?;
            let part = line.rsplit(" · ").next()?;
            (part.chars().any(|c| c.is_ascii_digit()) && !part.starts_with("level")).then(|| part.to_string())
        })
        .collect();
    y.reverse();
    y
}

#[test]
fn a_step_ends_where_the_next_one_starts() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let o = storypath(&["init", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_t, out) = build(&site, &[]);
    // The starter's Jordan: retail cashier 2016, agent 2018, senior 2020, team lead 2023.
    assert_eq!(
        years(&read(&out, "stories/jordan-lee/index.html")),
        ["2016–2018", "2018–2020", "2020–2023", "since 2023"]
    );
    for (path, html) in html_files_of(&out).iter().filter(|(p, _)| p.starts_with("stories/")) {
        let y = years(html);
        let since = y.iter().filter(|s| s.starts_with("since")).count();
        assert!(since <= 1, "{path}: {y:?}");
        if since == 1 {
            assert!(y.last().unwrap().starts_with("since"), "{path}: only the last step is current: {y:?}");
        }
    }
}

#[test]
fn role_pages_count_everyone_who_held_the_role() {
    let (_t, out) = build(&repo(), &[]);
    // In the demo, seven people passed through the agent role and all moved on.
    let agent = read(&out, "roles/agent/index.html");
    assert!(agent.contains("7 people have held this role; all 7 moved on."), "{agent}");
    assert!(agent.contains("Typical time in the role: 3 years"), "{agent}");
    let index = read(&out, "roles/index.html");
    assert!(index.contains("7 people in the stories"), "the index counts holders, not current holders");
}
