//! Draws a [`Layout`] as a standalone, accessible SVG document.
//!
//! The root keeps the implicit graphics-document role of `<svg>` and has a
//! name (not `role="img"`, which would hide the role links inside), every role node is a focusable link with
//! a visible focus style, and all text is escaped.

use super::layout::{Edge, Layout, NodeKey, TextLine};
use crate::load::story::Place;
use crate::text::escape_xml as esc;
use std::collections::BTreeSet;
use std::fmt::Write;

/// A journey to draw on top of the map.
#[derive(Debug, Clone)]
pub struct Highlight {
    pub label: String,
    pub steps: Vec<Place>,
    pub color: String,
}

#[derive(Debug, Clone, Default)]
pub struct MapOptions {
    /// Accessible name of the map.
    pub title: String,
    /// Accessible description.
    pub description: String,
    /// Prefix for element ids, unique per page.
    pub id: String,
    pub highlights: Vec<Highlight>,
    /// Draw every journey's moves, weighted by how many took them (the full
    /// map). Without it only the ladder's supported moves are drawn, under the
    /// highlighted journeys: a story's or family's map stays small and
    /// focused however many people the site has.
    pub traffic: bool,
    /// A file of its own (`map.svg`): no ARIA attributes (SVG 1.1 has none);
    /// the first-child `<title>` names it. Inline maps are named with
    /// `aria-labelledby` and keep the implicit graphics-document role of
    /// `<svg>` (SVG-AAM): not `role="img"`, which would hide the role links
    /// inside, and no explicit role, which the W3C checker rejects on `<svg>`.
    pub standalone: bool,
}

/// Colours for highlighted journeys (family maps), readable on white.
pub const HIGHLIGHT_COLORS_LEN: usize = HIGHLIGHT_COLORS.len();
pub const HIGHLIGHT_COLORS: &[&str] = &["#c2410c", "#1d4ed8", "#15803d", "#9333ea", "#be123c", "#0f766e"];

const STYLE: &str = "\
.sp-band-name{font:600 13px system-ui,sans-serif;fill:#111827}\
.sp-level{font:12px system-ui,sans-serif;fill:#4b5563}\
.sp-label{font:12px system-ui,sans-serif;fill:#111827;text-anchor:middle}\
.sp-entry .sp-label{fill:#374151;font-style:italic}\
.sp-edge{fill:none;stroke-linecap:round}\
.sp-idle{stroke:#9ca3af;stroke-width:1.5px;stroke-dasharray:2 4;marker-end:url(#sp-a9ca3af)}\
.sp-node rect.sp-box{fill:#fff;stroke-width:2}\
.sp-node:hover rect.sp-box,.sp-node:focus rect.sp-box{fill:#f3f4f6}\
.sp-node:focus{outline:none}\
.sp-node:focus rect.sp-focus,.sp-node:focus-visible rect.sp-focus{stroke:#111827;stroke-width:3;stroke-dasharray:none;fill:none}\
rect.sp-focus{fill:none;stroke:none}\
.sp-faded .sp-edge{opacity:.45}";

/// The parts of a map that are the same on every page (bands, edges, nodes),
/// drawn once per build; [`render_with`] adds each page's title and journeys.
pub struct Prepared {
    /// Arrow markers for the edge colours (inside `<defs>`).
    markers: String,
    bands: String,
    /// Every edge, weighted by the journeys (the full map).
    traffic_edges: String,
    /// Only the ladder's supported moves (under highlighted journeys).
    ladder_edges: String,
    nodes: String,
}

impl Prepared {
    /// The same parts with every text passed through `f`: the pages rewrite
    /// the nodes' role links relative to themselves (see
    /// `render::links`), once per folder depth instead of once per page.
    pub fn map_text(&self, f: impl Fn(&str) -> String) -> Prepared {
        Prepared {
            markers: f(&self.markers),
            bands: f(&self.bands),
            traffic_edges: f(&self.traffic_edges),
            ladder_edges: f(&self.ladder_edges),
            nodes: f(&self.nodes),
        }
    }
}

pub fn prepare(l: &Layout) -> Prepared {
    let mut markers = String::new();
    let mut colors: BTreeSet<&str> = l.edges.iter().map(|e| e.color.as_str()).collect();
    colors.insert("#9ca3af");
    for c in colors {
        arrow(&mut markers, &format!("sp-a{}", c.trim_start_matches('#')), c);
    }
    let mut bands = String::new();
    for b in &l.bands {
        let _ = write!(
            bands,
            r#"<g class="sp-band"><rect x="{x:.0}" y="8" width="{w:.0}" height="{h:.0}" rx="10" fill="{c}" fill-opacity="0.07"/><rect x="{x:.0}" y="8" width="{w:.0}" height="6" rx="3" fill="{c}"/>"#,
            x = b.x,
            w = b.w,
            h = l.height - 16.0,
            c = b.color
        );
        for line in &b.name_lines {
            text(&mut bands, "sp-band-name", line);
        }
        bands.push_str("</g>");
    }
    for line in &l.level_labels {
        text(&mut bands, "sp-level", line);
    }
    let (mut traffic_edges, mut ladder_edges) = (String::new(), String::new());
    for e in &l.edges {
        edge(&mut traffic_edges, l, e, true);
        if e.supported {
            edge(&mut ladder_edges, l, e, false);
        }
    }
    let mut nodes = String::new();
    for n in &l.nodes {
        node(&mut nodes, n);
    }
    Prepared { markers, bands, traffic_edges, ladder_edges, nodes }
}

/// Renders the whole map, with `opts.highlights` drawn over it.
pub fn render(l: &Layout, opts: &MapOptions) -> String {
    render_with(l, &prepare(l), opts)
}

/// Renders a map from its prepared parts: cheap enough for every story page.
pub fn render_with(l: &Layout, p: &Prepared, opts: &MapOptions) -> String {
    let id = if opts.id.is_empty() { "map" } else { &opts.id };
    let edges = if opts.traffic { &p.traffic_edges } else { &p.ladder_edges };
    let mut s = String::with_capacity(p.bands.len() + edges.len() + p.nodes.len() + 4096);
    let (aria, tid, did) = if opts.standalone {
        (String::new(), String::new(), String::new())
    } else {
        (
            format!(r#" aria-labelledby="{id}-title" aria-describedby="{id}-desc""#),
            format!(r#" id="{id}-title""#),
            format!(r#" id="{id}-desc""#),
        )
    };
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="sp-map" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" style="min-width:{min:.0}px"{aria}><title{tid}>{t}</title><desc{did}>{d}</desc><style>{STYLE}</style><defs>{markers}"#,
        w = l.width,
        h = l.height,
        // A page may shrink the map to fit, but not below 80%: labels stay legible, and it scrolls instead.
        min = l.width * 0.8,
        t = esc(&opts.title),
        d = esc(&opts.description),
        markers = p.markers,
    );
    for (i, h) in opts.highlights.iter().enumerate() {
        arrow(&mut s, &format!("{id}-hl{i}"), &h.color);
    }
    s.push_str("</defs>");
    s.push_str(&p.bands);
    let faded = if opts.highlights.is_empty() { "" } else { " sp-faded" };
    let _ = write!(s, r#"<g class="sp-edges{faded}">{edges}</g>"#);
    s.push_str(&p.nodes);
    for (hi, h) in opts.highlights.iter().enumerate() {
        journey(&mut s, l, h, &format!("{id}-hl{hi}"));
    }
    s.push_str("</svg>");
    s
}

/// A highlighted journey: its moves in bold and an outline on every place,
/// drawn over the nodes.
fn journey(s: &mut String, l: &Layout, h: &Highlight, marker: &str) {
    let _ = write!(s, r#"<g class="sp-journey"><title>{}</title>"#, esc(&h.label));
    let keys: Vec<NodeKey> = h.steps.iter().map(|p| l.key_of(p)).collect();
    for w in keys.windows(2) {
        if let Some(e) = l.edge(&w[0], &w[1]).filter(|_| w[0] != w[1]) {
            let _ = write!(
                s,
                r#"<path class="sp-edge" d="{}" stroke="{}" stroke-width="4.5" marker-end="url(#{marker})"/>"#,
                curve(e),
                h.color
            );
        }
    }
    let places: BTreeSet<&NodeKey> = keys.iter().collect();
    for n in places.into_iter().filter_map(|k| l.node(k)) {
        let r = n.rect;
        let _ = write!(
            s,
            r#"<rect x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}" rx="10" fill="none" stroke="{}" stroke-width="3" pointer-events="none"/>"#,
            r.x - 3.0,
            r.y - 3.0,
            r.w + 6.0,
            r.h + 6.0,
            h.color
        );
    }
    s.push_str("</g>");
}

fn node(s: &mut String, n: &super::layout::Node) {
    let r = n.rect;
    let mut label = String::new();
    for line in &n.lines {
        let _ = write!(label, r#"<tspan x="{:.0}" y="{:.0}">{}</tspan>"#, line.x, line.y, esc(&line.text));
    }
    match (&n.key, &n.href) {
        (NodeKey::Role(_), Some(href)) => {
            let color = n.color.as_deref().unwrap_or("#6b7280");
            let title =
                format!("{}: {}, level {}", n.label, n.track_name.as_deref().unwrap_or(""), n.level.unwrap_or(1));
            let _ = write!(
                s,
                r#"<a class="sp-node" href="{href}"><title>{title}</title><rect class="sp-box" x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{h:.0}" rx="8" stroke="{color}"/><rect x="{x:.0}" y="{y:.0}" width="7" height="{h:.0}" rx="3" fill="{color}"/><rect class="sp-focus" x="{fx:.0}" y="{fy:.0}" width="{fw:.0}" height="{fh:.0}" rx="10"/><text class="sp-label">{label}</text></a>"#,
                href = esc(href),
                title = esc(&title),
                x = r.x,
                y = r.y,
                w = r.w,
                h = r.h,
                fx = r.x - 4.0,
                fy = r.y - 4.0,
                fw = r.w + 8.0,
                fh = r.h + 8.0,
            );
        }
        _ => {
            let _ = write!(
                s,
                r##"<g class="sp-node sp-entry"><title>Came from outside: {t}</title><rect class="sp-box" x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{h:.0}" rx="22" stroke="#6b7280" stroke-dasharray="5 3"/><text class="sp-label">{label}</text></g>"##,
                t = esc(&n.label),
                x = r.x,
                y = r.y,
                w = r.w,
                h = r.h,
            );
        }
    }
}

fn text(s: &mut String, class: &str, line: &TextLine) {
    let anchor = if line.middle { r#" text-anchor="middle""# } else { "" };
    let _ =
        write!(s, r#"<text class="{class}" x="{:.0}" y="{:.0}"{anchor}>{}</text>"#, line.x, line.y, esc(&line.text));
}

fn arrow(s: &mut String, id: &str, color: &str) {
    let _ = write!(
        s,
        r#"<marker id="{id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{color}"/></marker>"#
    );
}

/// An edge's line as a path: its orthogonal pieces with rounded corners
/// (a quarter curve of up to 6 px, less where a piece is short), so lines
/// read as lines, not as a circuit board.
fn curve(e: &Edge) -> String {
    const R: f64 = 6.0;
    let pts = &e.points;
    let mut d = String::with_capacity(24 * pts.len());
    let Some(&(x0, y0)) = pts.first() else { return d };
    let _ = write!(d, "M{x0:.1} {y0:.1}");
    for i in 1..pts.len() {
        let (x, y) = pts[i];
        match pts.get(i + 1) {
            Some(&(nx, ny)) => {
                let (px, py) = pts[i - 1];
                let len = |ax: f64, ay: f64, bx: f64, by: f64| (ax - bx).abs() + (ay - by).abs();
                let r = R.min(len(px, py, x, y) / 2.0).min(len(x, y, nx, ny) / 2.0);
                let toward = |ax: f64, ay: f64, k: f64| {
                    let l = len(ax, ay, x, y).max(1e-9);
                    (x + (ax - x) * k / l, y + (ay - y) * k / l)
                };
                let (ax, ay) = toward(px, py, r);
                let (bx, by) = toward(nx, ny, r);
                let _ = write!(d, "L{ax:.1} {ay:.1}Q{x:.1} {y:.1} {bx:.1} {by:.1}");
            }
            None => {
                let _ = write!(d, "L{x:.1} {y:.1}");
            }
        }
    }
    d
}

/// Stroke width by how many people took a move.
pub fn edge_width(count: usize, max: usize) -> f64 {
    if count == 0 {
        return 1.5;
    }
    let scale = (count as f64).ln_1p() / (max.max(1) as f64).ln_1p();
    2.0 + 7.0 * scale
}

/// One move. Moves nobody took are thin, dotted and styled by class, with
/// no tooltip: they are the ladder's backdrop (the legend explains them),
/// and a ladder has many, so they must cost few bytes on every story page.
fn edge(s: &mut String, l: &Layout, e: &Edge, traffic: bool) {
    let count = if traffic { e.count } else { 0 };
    if count == 0 {
        let _ = write!(s, r#"<path class="sp-edge sp-idle" d="{}"/>"#, curve(e));
        return;
    }
    let name = |k: &NodeKey| l.node(k).map_or_else(String::new, |n| n.label.clone());
    let dash = if e.supported { "" } else { r#" stroke-dasharray="7 4""# };
    let who = if count == 1 { "1 person".to_string() } else { format!("{count} people") };
    let listed = if e.supported { "" } else { ", not listed in the ladder" };
    let _ = write!(
        s,
        r#"<path class="sp-edge" d="{d}" stroke="{c}" stroke-width="{width:.1}"{dash} marker-end="url(#sp-a{m})"><title>{t}</title></path>"#,
        d = curve(e),
        c = e.color,
        width = edge_width(e.count, l.max_count),
        m = e.color.trim_start_matches('#'),
        t = esc(&format!("{} → {}: {who}{listed}", name(&e.from), name(&e.to))),
    );
}

#[cfg(test)]
mod tests {
    use super::super::layout::{layout, tests::big_input};
    use super::*;

    #[test]
    fn svg_is_accessible_and_escaped() {
        let mut input = big_input();
        input.roles[0].title = "<script>alert(1)</script>".into();
        let l = layout(&input);
        let svg = render(&l, &MapOptions { title: "Map & more".into(), traffic: true, ..Default::default() });
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(" aria-labelledby=\"map-title\" aria-describedby=\"map-desc\""));
        assert!(!svg.contains(" role="));
        assert!(!svg.contains("role=\"img\""));
        let file = render(&l, &MapOptions { standalone: true, ..Default::default() });
        assert!(!file.contains("aria-") && !file.contains("role="));
        assert!(svg.contains("<title id=\"map-title\">Map &amp; more</title>"));
        assert!(!svg.contains("<script>"));
        assert_eq!(svg.matches("<a class=\"sp-node").count(), 24);
    }

    #[test]
    fn highlight_draws_the_journey() {
        let input = big_input();
        let l = layout(&input);
        let steps = input.journeys[0].clone();
        let svg = render(
            &l,
            &MapOptions {
                highlights: vec![Highlight { label: "Ana".into(), steps, color: "#c2410c".into() }],
                ..Default::default()
            },
        );
        assert_eq!(svg.matches("stroke=\"#c2410c\" stroke-width=\"4.5\"").count(), 2);
        assert!(svg.contains("sp-faded"));
        // Without traffic only the ladder's moves are drawn under the journey.
        let unlisted = l.edges.iter().filter(|e| !e.supported).count();
        assert!(unlisted > 0);
        assert_eq!(svg.matches("<path class=\"sp-edge").count(), l.edges.len() - unlisted + 2);
    }

    #[test]
    fn wider_edges_for_more_people() {
        assert!(edge_width(10, 10) > edge_width(1, 10));
        assert!(edge_width(1, 10) > edge_width(0, 10));
    }
}
