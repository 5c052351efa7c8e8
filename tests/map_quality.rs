//! The path map, measured (issue 15): builds the demo, the sites under
//! `examples/`, three ladders modelled on real frameworks and generated
//! ladders of 15–80 roles with the real binary, measures each `map.svg` and
//! Graphviz dot's drawing of the same graph with `storypath::map::quality`,
//! and writes the table to target/map-quality.md (docs/map.md with
//! `STORYPATH_BLESS=1`).
//!
//! The measuring itself is checked (every role and edge of the drawing is
//! found, every edge's two ends are known, dot is given the same graph), and
//! so are the bars for the layout.

mod common;

use common::ladders::{self, Ladder};
use std::path::{Path, PathBuf};
use std::process::Command;
use storypath::map::quality::{self, Column, Drawing, Quality};

struct Case {
    name: String,
    root: PathBuf,
    roles: usize,
    tracks: usize,
    /// The bars apply to generated ladders (crossings, intrusions, overlaps).
    generated: bool,
    _tmp: Option<tempfile::TempDir>,
}

struct Measured {
    svg: String,
    drawing: Drawing,
    ours: Quality,
    /// dot with a cluster per track, and without.
    dot: Option<(Quality, Quality)>,
}

/// Generated ladders: (roles, tracks, seed).
const GENERATED: &[(usize, usize, u64)] =
    &[(15, 4, 1), (20, 5, 2), (30, 6, 3), (40, 6, 4), (40, 8, 5), (60, 8, 6), (80, 10, 7)];
const STORIES: usize = 60;

fn ladder_case(name: &str, l: &Ladder, seed: u64, generated: bool) -> Case {
    let tmp = tempfile::tempdir().unwrap();
    l.write_site(tmp.path(), seed, STORIES);
    Case {
        name: name.to_string(),
        root: tmp.path().to_path_buf(),
        roles: l.roles.len(),
        tracks: l.tracks.len(),
        generated,
        _tmp: Some(tmp),
    }
}

fn site_case(name: &str, root: &Path) -> Case {
    let ladder = std::fs::read_to_string(root.join("content/ladder.toml")).unwrap();
    let count = |table: &str| ladder.lines().filter(|l| l.trim() == table).count();
    Case {
        name: name.to_string(),
        root: root.to_path_buf(),
        roles: count("[[role]]"),
        tracks: count("[[track]]"),
        generated: false,
        _tmp: None,
    }
}

fn cases() -> Vec<Case> {
    let repo = common::repo();
    let mut cases = vec![site_case("demo (repository root)", &repo)];
    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo.join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("content/ladder.toml").is_file())
        .collect();
    examples.sort();
    for p in examples {
        cases.push(site_case(&format!("examples/{}", p.file_name().unwrap().to_string_lossy()), &p));
    }
    cases.push(ladder_case("contact centre", &ladders::contact_centre(), 11, false));
    cases.push(ladder_case("software engineering", &ladders::software(), 12, false));
    cases.push(ladder_case("hospital nursing", &ladders::nursing(), 13, false));
    for &(roles, tracks, seed) in GENERATED {
        let name = format!("generated (seed {seed})");
        cases.push(ladder_case(&name, &ladders::generated(seed, roles, tracks), seed, true));
    }
    cases
}

fn dot_available() -> bool {
    Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success())
}

fn dot_version() -> String {
    Command::new("dot")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stderr).trim().to_string())
        .unwrap_or_default()
}

/// How many rows a drawing's nodes sit in.
fn rows(d: &Drawing) -> usize {
    let ys: std::collections::BTreeSet<i64> =
        d.nodes.iter().map(|n| (n.rect.y + n.rect.h / 2.0).round() as i64).collect();
    ys.len()
}

/// How many levels a drawing of ours has (entry points count as one).
fn levels(d: &Drawing) -> usize {
    let ls: std::collections::BTreeSet<Option<i64>> =
        d.nodes.iter().map(|n| if n.entry { None } else { quality::level_of(&n.id) }).collect();
    ls.len()
}

/// dot's drawing of a DOT graph, measured; it must keep `want_rows` rows (one per level).
fn dot_quality(dot: &str, want_rows: usize) -> Quality {
    let svg = quality::dot_svg(dot).unwrap_or_else(|e| panic!("{e}\n{dot}"));
    let d = quality::parse(&svg).unwrap();
    assert!(d.edges.iter().all(|e| e.from.is_some() && e.to.is_some()), "an edge of dot's drawing has an unknown end");
    assert_eq!(rows(&d), want_rows, "dot did not keep the levels as ranks\n{dot}");
    quality::measure(&d)
}

fn measure(case: &Case, with_dot: bool) -> Measured {
    let (_tmp, out) = common::build(&case.root, &[]);
    let svg = common::read(&out, "map.svg");
    let drawing = quality::parse(&svg).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    let ours = quality::measure(&drawing);
    // The graphs given to dot are kept for a look (`dot -Tsvg target/map-dot/...`).
    let keep = |clusters: bool| {
        let g = quality::to_dot(&drawing, clusters);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("map-dot");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("{}-{}.dot", storypath::text::slugify(&case.name), clusters)), &g);
        g
    };
    // dot gets a rank per level and must keep them.
    let want = levels(&drawing);
    let dot = with_dot.then(|| (dot_quality(&keep(true), want), dot_quality(&keep(false), want)));
    Measured { svg, drawing, ours, dot }
}

#[test]
fn map_quality_table() {
    let cases = cases();
    // dot is a prerequisite of the tests, like Chromium (.ci/run installs it):
    // a comparison that is silently skipped would prove nothing.
    let with_dot = dot_available();
    assert!(with_dot, "Graphviz dot is missing: run ./test, which installs every tool the tests need");
    // Two workers: the machine is shared.
    let measured: Vec<Measured> = std::thread::scope(|s| {
        let halves: Vec<_> = [0, 1]
            .into_iter()
            .map(|w| {
                let cases = &cases;
                s.spawn(move || {
                    cases
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % 2 == w)
                        .map(|(i, c)| (i, measure(c, with_dot)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<(usize, Measured)> = halves.into_iter().flat_map(|h| h.join().unwrap()).collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, m)| m).collect()
    });

    // The measuring is right: everything drawn is found, and dot gets the same graph.
    for (c, m) in cases.iter().zip(&measured) {
        let d = &m.drawing;
        let roles = d.nodes.iter().filter(|n| !n.entry).count();
        assert_eq!(roles, c.roles, "{}: role nodes found", c.name);
        assert_eq!(roles, m.svg.matches("<a class=\"sp-node\"").count(), "{}", c.name);
        assert_eq!(d.nodes.len(), m.svg.matches("class=\"sp-node").count(), "{}: nodes found", c.name);
        assert_eq!(d.edges.len(), m.svg.matches("<path class=\"sp-edge").count(), "{}: edges found", c.name);
        for (k, e) in d.edges.iter().enumerate() {
            assert!(e.from.is_some() && e.to.is_some() && e.from != e.to, "{}: edge {k} has unknown ends", c.name);
        }
        assert!(d.nodes.iter().all(|n| n.lines.iter().any(|l| !l.is_empty())), "{}: a node without its label", c.name);
        if let Some((dot, free)) = &m.dot {
            for q in [dot, free] {
                assert_eq!((q.nodes, q.edges), (m.ours.nodes, m.ours.edges), "{}: dot got another graph", c.name);
            }
        }
    }

    write_table(&cases, &measured, with_dot);

    let mut failures = Vec::new();
    let col = Column::HORIZON;
    for (c, m) in cases.iter().zip(&measured) {
        let q = &m.ours;
        if c.generated && c.roles <= 40 {
            if q.intrusions > 0 {
                failures.push(format!("{}: {} edges through boxes of roles they do not connect", c.name, q.intrusions));
            }
            if q.overlaps > 0 {
                failures.push(format!("{}: {} overlaps", c.name, q.overlaps));
            }
            if let Some((dot, _)) = &m.dot {
                if q.crossings > dot.crossings {
                    failures.push(format!("{}: {} crossings, dot {}", c.name, q.crossings, dot.crossings));
                }
            }
        }
        if c.roles <= 30 && c.tracks <= 6 {
            let s = quality::on_screen(q, &col, 1280.0);
            if !s.fits || s.font_px < 12.0 - 1e-9 {
                failures.push(format!(
                    "{}: at 1280 px the map is {:.0} px in a {:.0} px column, smallest label {:.1} px",
                    c.name, s.rendered, s.column, s.font_px
                ));
            }
        }
    }
    assert!(failures.is_empty(), "the map misses the issue's bars:\n{}", failures.join("\n"));
}

/// docs/map.md: the table, storypath's row next to dot's for every ladder.
fn write_table(cases: &[Case], measured: &[Measured], with_dot: bool) {
    let col = Column::from_css(&common::read(&common::repo(), "themes/horizon/static/css/style.css"));
    let mut rows = String::new();
    for (c, m) in cases.iter().zip(measured) {
        let name = format!("{} ({} roles, {} tracks)", c.name, c.roles, c.tracks);
        rows.push_str(&quality::table_row(&format!("**{name}**: storypath"), &m.ours, &col));
        rows.push('\n');
        if let Some((dot, free)) = &m.dot {
            rows.push_str(&quality::table_row("dot, a cluster per track", dot, &col));
            rows.push('\n');
            rows.push_str(&quality::table_row("dot, tracks free", free, &col));
            rows.push('\n');
        }
    }
    println!("{}\n{rows}", quality::TABLE_HEADER);
    if !with_dot {
        return;
    }
    let doc = format!(
        "# The path map, measured\n\n\
         Written by `tests/map_quality.rs` (`cargo test --test map_quality`); do not edit by hand.\n\n\
         Each ladder is built with storypath and its `map.svg` measured by `storypath::map::quality`\n\
         (`cargo run --example map_quality -- [--dot] MAP.svg` measures any map). The same graph (the\n\
         same nodes with the same box sizes and label lines, ranked by level with `rank=same`, entry\n\
         points below level 1, edges = the ladder's moves plus the moves journeys took) is drawn by\n\
         Graphviz dot ({version}) twice: with a cluster per track, which keeps each track together as\n\
         our bands do (the like-for-like comparison, and the bar), and with the tracks free to\n\
         interleave (a lower bound).\n\n\
         - **crossings**: pairs of edges whose curves cross (meeting at a node both connect is not a crossing);\n\
         - **intrusions**: edges passing through the box of a node they do not connect;\n\
         - **edges through labels**: edges passing through a text line (estimated box) other than their ends' labels;\n\
         - **overlaps**: node/node, label/label and label/other-node pairs that overlap;\n\
         - **size**: the drawing's CSS size; **smallest font**: its smallest text once the page scales it,\n\
           in the horizon theme's content column ({c1280:.0} px at a 1280 px viewport, {c375:.0} px at 375 px;\n\
           from {shrink:.0} px the map shrinks to the column but never below its `min-width`, below that it keeps\n\
           its own width and scrolls); **fits column**: no sideways scrolling (else the share visible at once).\n\n\
         Generated ladders and the three named ones have {STORIES} stories each (see `tests/common/ladders.rs`).\n\n\
         The issue's bars, checked by the test: on generated ladders up to 40 roles,\n\
         0 intrusions, 0 overlaps, crossings no more than dot's (a cluster per track); up to 30 roles over 6 tracks,\n\
         the map fits the column at 1280 px with labels of at least 12 px.\n\n\
         {header}\n{rows}",
        version = dot_version(),
        c1280 = col.width_at(1280.0),
        c375 = col.width_at(375.0),
        shrink = col.shrink_from,
        header = quality::TABLE_HEADER,
    );
    // Into target/ on every run; into docs/map.md (the record kept in the
    // repository) only when asked, as snapshots are: a test run must not
    // leave the work tree changed.
    let target = common::repo().join("target/map-quality.md");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, &doc).unwrap();
    if std::env::var_os("STORYPATH_BLESS").is_some() {
        std::fs::write(common::repo().join("docs/map.md"), doc).unwrap();
    }
}
