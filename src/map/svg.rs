//! Draws a [`Layout`] as a standalone, accessible SVG document.
//!
//! The root keeps the implicit graphics-document role of `<svg>` and has a
//! name (not `role="img"`, which would hide the role links inside), every role node is a focusable link with
//! a visible focus style, and all text is escaped.
//!
//! A visual code people can read (issue 15): every map carries its own
//! legend (so `/map.svg`, the home page's map and a family's read alike);
//! line colours are the tracks' colours made to reach 3:1 against the
//! map's canvas in light and in dark mode (the map follows the reader's
//! colour scheme, with `prefers-color-scheme` inside its own `<style>`,
//! which also works for the file on its own); dashes are drawn to the
//! stroke's width, arrowheads to the stroke's size with a halo.
//!
//! Focus on a role: nodes carry `data-role` and the full map's edges
//! `data-from`/`data-to` and a `<title>` naming the move and its people, so
//! the theme's `js/map.js` can highlight a role's moves and say them; the
//! map itself works without it.

use super::layout::{wrap, Edge, Layout, NodeKey, TextLine, BOLD_CHAR_EM, CHAR_EM, LABEL_PX};
use super::MapInput;
use crate::color::{self, hex, min_contrast, mix, rgb, with_contrast, Rgb};
use crate::load::story::Place;
use crate::text::escape_xml as esc;
use std::collections::{BTreeMap, BTreeSet};
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

/// Colours for highlighted journeys (a story's, a family's) when the
/// site's tracks are not known: [`highlight_colors`] of the default track
/// palette (a test keeps them so); the dark mode's are derived when drawn.
pub const HIGHLIGHT_COLORS_LEN: usize = HIGHLIGHT_COLORS.len();
pub const HIGHLIGHT_COLORS: &[&str] = &["#111827", "#831843", "#7c2d12", "#db2777", "#581c87", "#134e4a"];

/// The map's canvas in light mode, and the boxes of its nodes.
const LIGHT_BG: Rgb = [0xff, 0xff, 0xff];
/// The map's canvas in dark mode (the horizon theme's `--card`), and its
/// nodes' boxes (`--soft`).
const DARK_BG: Rgb = [0x11, 0x18, 0x27];
const DARK_NODE: Rgb = [0x1e, 0x29, 0x3b];
/// Opacity of a track's tint over its band, per mode (dark needs more to show).
const TINT_LIGHT: f64 = 0.07;
const TINT_DARK: f64 = 0.14;
/// Every other level's strip: a colour and its opacity, per mode (as
/// `.sp-strip` in [`STYLE`]).
const STRIP_LIGHT: (Rgb, f64) = ([0x0f, 0x17, 0x2a], 0.035);
const STRIP_DARK: (Rgb, f64) = ([0xff, 0xff, 0xff], 0.045);
/// WCAG 2.2 non-text contrast (1.4.11) of lines against what they cross.
const EDGE_CONTRAST: f64 = 3.0;
/// A line as prominent in dark mode as in light, but no more than this
/// (near-black ink would otherwise turn glaring white).
const DARK_MAX_CONTRAST: f64 = 9.0;
/// Mixing steps toward black or white: fine enough to change a brand
/// colour no more than needed.
const STEPS: u32 = 40;
/// Moves nobody took yet, and the outline of outside entry points.
const IDLE: &str = "#9ca3af";
const ENTRY: &str = "#6b7280";
/// Legend samples of line width and dashes: no track's colour.
const NEUTRAL: &str = "#4b5563";
/// People named per move on the full map; the rest are counted.
pub const MAX_NAMES: usize = 5;

/// Who made a move: how many people (a person taking it twice counts once)
/// and the first [`MAX_NAMES`] of them, in the order of the map's journeys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Movers {
    pub people: usize,
    pub names: Vec<String>,
}

/// The people of every move, by (from, to) node.
pub type People = BTreeMap<(NodeKey, NodeKey), Movers>;

/// Who made each move of `l`, from `input`'s journeys and names. Costs one
/// pass over the journeys and keeps at most [`MAX_NAMES`] names per move,
/// however many people the site has.
pub fn people(input: &MapInput, l: &Layout) -> People {
    let mut out = People::new();
    for (j, steps) in input.journeys.iter().enumerate() {
        let keys: Vec<NodeKey> = steps.iter().map(|p| l.key_of(p)).collect();
        let moves: BTreeSet<(&NodeKey, &NodeKey)> =
            keys.windows(2).filter(|w| w[0] != w[1]).map(|w| (&w[0], &w[1])).collect();
        for (a, b) in moves {
            let m = out.entry((a.clone(), b.clone())).or_default();
            m.people += 1;
            match input.names.get(j) {
                Some(name) if m.names.len() < MAX_NAMES && !name.trim().is_empty() => m.names.push(name.clone()),
                _ => {}
            }
        }
    }
    out
}

/// What the map is drawn on, per mode: the canvas, each band's tint over
/// it and (dark) the node boxes. Lines must read on all of them.
struct Canvas {
    light: Vec<Rgb>,
    dark: Vec<Rgb>,
}

impl Canvas {
    fn of(l: &Layout) -> Canvas {
        let mut light = vec![LIGHT_BG];
        let mut dark = vec![DARK_BG, DARK_NODE];
        for b in &l.bands {
            let (tl, td) = (mix(LIGHT_BG, rgb(&b.color), TINT_LIGHT), mix(DARK_BG, rgb(&b.color), TINT_DARK));
            // And under a shaded level strip (`.sp-strip`).
            light.extend([tl, mix(tl, STRIP_LIGHT.0, STRIP_LIGHT.1)]);
            dark.extend([td, mix(td, STRIP_DARK.0, STRIP_DARK.1)]);
        }
        Canvas { light, dark }
    }

    /// A colour as drawn in light and in dark mode: darkened until it has
    /// 3:1 against every light background, lightened (same hue and
    /// saturation) until it has as much contrast against the dark ones (at
    /// least 3:1, at most [`DARK_MAX_CONTRAST`]). A colour that already
    /// reads is kept.
    fn ink(&self, c: &str) -> (Rgb, Rgb) {
        let c = rgb(c);
        let light = with_contrast(c, [0, 0, 0], &self.light, EDGE_CONTRAST, STEPS);
        let target = min_contrast(light, &self.light).clamp(EDGE_CONTRAST, DARK_MAX_CONTRAST);
        (light, color::lighten_to(c, &self.dark, target))
    }
}

/// The class-name part of a colour (`#1D4ED8` -> `1d4ed8`).
fn key(c: &str) -> String {
    hex(rgb(c))[1..].to_string()
}

/// `.sp-s{name}` strokes and `.sp-f{name}` fills in colour `c`, into the
/// light and the dark rules.
fn color_rules(light: &mut String, dark: &mut String, name: &str, (l, d): (Rgb, Rgb)) {
    let _ = write!(light, ".sp-s{name}{{stroke:{c}}}.sp-f{name}{{fill:{c}}}", c = hex(l));
    let _ = write!(dark, ".sp-s{name}{{stroke:{c}}}.sp-f{name}{{fill:{c}}}", c = hex(d));
}

/// Colours for highlighted journeys on this map, as many as
/// [`HIGHLIGHT_COLORS_LEN`], so a family member's line is never mistaken
/// for a track's: each in turn the first of a list of inks and hues (in
/// order of preference: near-black ink first, the strongest line for a
/// story's one journey) that is clearly apart (CIE ΔE ≥ [`APART`]) from
/// every track colour and every colour already chosen, else the farthest
/// one left. Each is made to reach 3:1 on the light canvas (the dark
/// mode's are derived when drawn). Deterministic: the same tracks give the
/// same list.
pub fn highlight_colors(l: &Layout) -> Vec<String> {
    const POOL: &[&str] = &[
        "#111827", "#ea580c", "#0369a1", "#db2777", "#65a30d", "#9333ea", "#0f766e", "#a16207", "#b91c1c", "#c026d3",
        "#15803d", "#4338ca", "#0e7490", "#1d4ed8", "#6d28d9", "#be123c", "#7c2d12", "#134e4a", "#581c87", "#831843",
        "#365314",
    ];
    let canvas = Canvas::of(l);
    let mut left: Vec<Rgb> = POOL.iter().map(|c| canvas.ink(c).0).collect();
    let mut taken: Vec<Rgb> = l.bands.iter().map(|b| canvas.ink(&b.color).0).collect();
    let mut out = Vec::new();
    while out.len() < HIGHLIGHT_COLORS_LEN && !left.is_empty() {
        let apart: Vec<f64> =
            left.iter().map(|&c| taken.iter().map(|&t| color::distance(c, t)).fold(f64::INFINITY, f64::min)).collect();
        let best = apart.iter().position(|&d| d >= APART).unwrap_or_else(|| {
            // The first of the farthest: ties keep the list's order.
            (0..apart.len()).fold(0, |b, i| if apart[i] > apart[b] + 1e-9 { i } else { b })
        });
        let c = left.remove(best);
        taken.push(c);
        out.push(hex(c));
    }
    out
}

/// How far (CIE76 ΔE) a journey's colour should be from every track's and
/// every other journey's to read as another colour.
const APART: f64 = 30.0;

/// The map's own style: text, boxes, the legend, the focus ring, and the
/// classes `js/map.js` sets (a role in focus: its moves in full, the rest
/// faded), in light mode, then what changes in dark mode. Colours of
/// lines and tracks are added per map ([`prepare`]).
const STYLE: &str = "\
.sp-bg{fill:#fff}\
.sp-tint{fill-opacity:.07}\
.sp-strip{fill:#0f172a;fill-opacity:.035}\
.sp-band-name{font:600 13px system-ui,sans-serif;fill:#111827}\
.sp-level{font:12px system-ui,sans-serif;fill:#4b5563}\
.sp-label{font:12px system-ui,sans-serif;fill:#111827;text-anchor:middle}\
.sp-entry .sp-label{fill:#374151;font-style:italic}\
.sp-key{font:12px system-ui,sans-serif;fill:#1f2937}\
.sp-key-rule{stroke:#e5e7eb}\
.sp-edge,.sp-key-line{fill:none;stroke-linecap:round}\
.sp-idle,.sp-key-dots{stroke-width:2px;stroke-dasharray:1 5}\
.sp-idle{marker-end:url(#sp-aidle)}\
.sp-mk{stroke:#fff;stroke-width:1.4px;stroke-linejoin:round;paint-order:stroke}\
.sp-node rect.sp-box,.sp-key-entry{fill:#fff;stroke-width:2}\
.sp-entry rect.sp-box,.sp-key-entry{stroke-dasharray:5 3}\
.sp-node:hover rect.sp-box,.sp-node:focus rect.sp-box,.sp-node.sp-here rect.sp-box{fill:#f3f4f6}\
.sp-node:focus{outline:none}\
.sp-node:focus rect.sp-focus,.sp-node:focus-visible rect.sp-focus{stroke:#111827;stroke-width:3;stroke-dasharray:none;fill:none}\
rect.sp-focus{fill:none;stroke:none}\
.sp-hire-box{fill:#047857;stroke:#fff;stroke-width:1.5px}\
.sp-hire-text{font:700 12px system-ui,sans-serif;fill:#fff}\
.sp-hire:hover .sp-hire-box{fill:#065f46}\
.sp-hire:focus{outline:none}\
.sp-hire:focus .sp-hire-box{stroke:#111827;stroke-width:3px}\
.sp-focusing .sp-edge{opacity:.12}\
.sp-focusing .sp-edge.sp-on{opacity:1}\
.sp-focusing .sp-node.sp-dim{opacity:.35}\
@media (prefers-reduced-motion:no-preference){.sp-edge,.sp-node{transition:opacity .15s}}\
@media (prefers-color-scheme:dark){\
.sp-bg{fill:#111827}\
.sp-tint{fill-opacity:.14}\
.sp-strip{fill:#fff;fill-opacity:.045}\
.sp-band-name,.sp-label{fill:#e5e7eb}\
.sp-level{fill:#a3acb9}\
.sp-entry .sp-label,.sp-key{fill:#cbd5e1}\
.sp-key-rule{stroke:#374151}\
.sp-mk{stroke:#111827}\
.sp-node rect.sp-box,.sp-key-entry{fill:#1e293b}\
.sp-node:hover rect.sp-box,.sp-node:focus rect.sp-box,.sp-node.sp-here rect.sp-box{fill:#334155}\
.sp-node:focus rect.sp-focus,.sp-node:focus-visible rect.sp-focus{stroke:#f9fafb}\
.sp-hire-box{fill:#34d399;stroke:#111827}\
.sp-hire-text{fill:#052e21}\
.sp-hire:hover .sp-hire-box{fill:#6ee7b7}\
.sp-hire:focus .sp-hire-box{stroke:#f9fafb}\
}";

/// The parts of a map that are the same on every page (bands, edges, nodes,
/// legend), drawn once per build; [`render_with`] adds each page's title
/// and journeys.
pub struct Prepared {
    /// [`STYLE`] and every colour's light and dark rules.
    css: String,
    /// Arrow markers (inside `<defs>`) for the full map's edges, and for
    /// the ladder's alone (the idle marker).
    traffic_markers: String,
    ladder_markers: String,
    bands: String,
    /// Every edge, weighted by the journeys (the full map).
    traffic_edges: String,
    /// Only the ladder's supported moves (under highlighted journeys).
    ladder_edges: String,
    nodes: String,
    /// The legend of each kind of map, and the height it adds.
    traffic_key: (String, f64),
    ladder_key: (String, f64),
}

impl Prepared {
    /// The same parts with every text passed through `f`: the pages rewrite
    /// the nodes' role links relative to themselves (see
    /// `render::links`), once per folder depth instead of once per page.
    pub fn map_text(&self, f: impl Fn(&str) -> String) -> Prepared {
        Prepared {
            css: f(&self.css),
            traffic_markers: f(&self.traffic_markers),
            ladder_markers: f(&self.ladder_markers),
            bands: f(&self.bands),
            traffic_edges: f(&self.traffic_edges),
            ladder_edges: f(&self.ladder_edges),
            nodes: f(&self.nodes),
            traffic_key: (f(&self.traffic_key.0), self.traffic_key.1),
            ladder_key: (f(&self.ladder_key.0), self.ladder_key.1),
        }
    }
}

/// The parts of the map, without the names of the people behind each move.
pub fn prepare(l: &Layout) -> Prepared {
    prepare_with(l, &People::new())
}

/// The parts of the map; the full map's moves name their people from
/// `people` (see [`people`]; empty: counted, not named).
pub fn prepare_with(l: &Layout, people: &People) -> Prepared {
    let canvas = Canvas::of(l);
    let (mut light, mut dark) = (String::from(STYLE), String::new());
    let colors: BTreeSet<String> = l
        .edges
        .iter()
        .map(|e| e.color.as_str())
        .chain(l.bands.iter().map(|b| b.color.as_str()))
        .chain(l.nodes.iter().filter_map(|n| n.color.as_deref()))
        .chain([ENTRY, NEUTRAL])
        .map(key)
        .collect();
    for c in &colors {
        color_rules(&mut light, &mut dark, c, canvas.ink(&format!("#{c}")));
    }
    let idle = canvas.ink(IDLE);
    let _ = write!(light, ".sp-idle,.sp-key-dots{{stroke:{}}}", hex(idle.0));
    let _ = write!(dark, ".sp-idle,.sp-key-dots{{stroke:{}}}", hex(idle.1));
    color_rules(&mut light, &mut dark, "idle", idle);
    let css = format!("{light}@media (prefers-color-scheme:dark){{{dark}}}");

    let mut ladder_markers = String::new();
    arrow(&mut ladder_markers, "sp-aidle", "idle", arrow_size(IDLE_WIDTH));
    let mut traffic_markers = ladder_markers.clone();
    let used: BTreeSet<(String, u32)> = l
        .edges
        .iter()
        .filter(|e| e.count > 0)
        .map(|e| (key(&e.color), arrow_size(edge_width(e.count, l.max_count))))
        .collect();
    for (c, size) in used {
        arrow(&mut traffic_markers, &marker_id(&c, size), &c, size);
    }

    let mut bands = String::new();
    for b in &l.bands {
        let _ = write!(
            bands,
            r#"<g class="sp-band"><rect class="sp-tint" x="{x:.0}" y="8" width="{w:.0}" height="{h:.0}" rx="10" fill="{c}"/><rect class="sp-f{k}" x="{x:.0}" y="8" width="{w:.0}" height="6" rx="3"/>"#,
            x = b.x,
            w = b.w,
            h = l.height - 16.0,
            c = esc(&hex(rgb(&b.color))),
            k = key(&b.color),
        );
        for line in &b.name_lines {
            text(&mut bands, "sp-band-name", line);
        }
        bands.push_str("</g>");
    }
    // Every other level shaded across the bands (level 1, at the bottom, is not).
    if let (Some(first), Some(last)) = (l.bands.first(), l.bands.last()) {
        let n = l.level_strips.len();
        for (i, (y, h)) in l.level_strips.iter().enumerate() {
            if (n - 1 - i) % 2 == 1 {
                let _ = write!(
                    bands,
                    r#"<rect class="sp-strip" x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{h:.0}"/>"#,
                    x = first.x,
                    w = last.x + last.w - first.x,
                );
            }
        }
    }
    for line in &l.level_labels {
        text(&mut bands, "sp-level", line);
    }
    let (mut traffic_edges, mut ladder_edges) = (String::new(), String::new());
    for e in &l.edges {
        edge(&mut traffic_edges, l, e, Some(people));
        if e.supported {
            edge(&mut ladder_edges, l, e, None);
        }
    }
    let mut nodes = String::new();
    for n in &l.nodes {
        node(&mut nodes, &l.words, n);
    }
    Prepared {
        css,
        traffic_markers,
        ladder_markers,
        bands,
        traffic_edges,
        ladder_edges,
        nodes,
        traffic_key: legend(l, true),
        ladder_key: legend(l, false),
    }
}

/// Renders the whole map, with `opts.highlights` drawn over it.
pub fn render(l: &Layout, opts: &MapOptions) -> String {
    render_with(l, &prepare(l), opts)
}

/// Renders a map from its prepared parts: cheap enough for every story page.
pub fn render_with(l: &Layout, p: &Prepared, opts: &MapOptions) -> String {
    let id = if opts.id.is_empty() { "map" } else { &opts.id };
    let (edges, markers, (key_svg, key_h)) = if opts.traffic {
        (&p.traffic_edges, &p.traffic_markers, &p.traffic_key)
    } else {
        (&p.ladder_edges, &p.ladder_markers, &p.ladder_key)
    };
    let mut s = String::with_capacity(p.css.len() + p.bands.len() + edges.len() + p.nodes.len() + 4096);
    let (aria, tid, did) = if opts.standalone {
        (String::new(), String::new(), String::new())
    } else {
        (
            format!(r#" aria-labelledby="{id}-title" aria-describedby="{id}-desc""#),
            format!(r#" id="{id}-title""#),
            format!(r#" id="{id}-desc""#),
        )
    };
    // Each journey's colour, as drawn in light and in dark mode.
    let canvas = Canvas::of(l);
    let (mut light, mut dark) = (String::new(), String::new());
    for (i, h) in opts.highlights.iter().enumerate() {
        color_rules(&mut light, &mut dark, &format!("hl{i}"), canvas.ink(&h.color));
    }
    let hl_css =
        if light.is_empty() { String::new() } else { format!("{light}@media (prefers-color-scheme:dark){{{dark}}}") };
    let height = l.height + key_h;
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="sp-map" viewBox="0 0 {w:.0} {height:.0}" width="{w:.0}" height="{height:.0}" style="min-width:{min:.0}px"{aria}><title{tid}>{t}</title><desc{did}>{d}</desc><style>{css}{hl_css}</style><defs>{markers}"#,
        w = l.width,
        // A page may shrink the map to fit, but not below 80%: labels stay legible, and it scrolls instead.
        min = l.width * 0.8,
        t = esc(&opts.title),
        d = esc(&opts.description),
        css = p.css,
    );
    for i in 0..opts.highlights.len() {
        arrow(&mut s, &format!("{id}-hl{i}"), &format!("hl{i}"), arrow_size(JOURNEY_WIDTH));
    }
    s.push_str("</defs>");
    let _ = write!(s, r#"<rect class="sp-bg" width="{:.0}" height="{height:.0}"/>"#, l.width);
    s.push_str(&p.bands);
    let faded = if opts.highlights.is_empty() { "" } else { " sp-faded" };
    let _ = write!(s, r#"<g class="sp-edges{faded}">{edges}</g>"#);
    s.push_str(&p.nodes);
    for (hi, h) in opts.highlights.iter().enumerate() {
        journey(&mut s, l, h, hi, &format!("{id}-hl{hi}"));
    }
    s.push_str(key_svg);
    s.push_str("</svg>");
    s
}

/// Stroke width of a highlighted journey.
const JOURNEY_WIDTH: f64 = 4.5;

/// A highlighted journey: its moves in bold and an outline on every place,
/// drawn over the nodes, in the colour classes of journey `i`.
fn journey(s: &mut String, l: &Layout, h: &Highlight, i: usize, marker: &str) {
    let _ = write!(s, r#"<g class="sp-journey"><title>{}</title>"#, esc(&h.label));
    let keys: Vec<NodeKey> = h.steps.iter().map(|p| l.key_of(p)).collect();
    for w in keys.windows(2) {
        if let Some(e) = l.edge(&w[0], &w[1]).filter(|_| w[0] != w[1]) {
            let _ = write!(
                s,
                r#"<path class="sp-edge sp-shl{i}" d="{}" stroke-width="{JOURNEY_WIDTH}" marker-end="url(#{marker})"/>"#,
                curve(e),
            );
        }
    }
    let places: BTreeSet<&NodeKey> = keys.iter().collect();
    for n in places.into_iter().filter_map(|k| l.node(k)) {
        let r = n.rect;
        let _ = write!(
            s,
            r#"<rect class="sp-shl{i}" x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}" rx="10" fill="none" stroke-width="3" pointer-events="none"/>"#,
            r.x - 3.0,
            r.y - 3.0,
            r.w + 6.0,
            r.h + 6.0,
        );
    }
    s.push_str("</g>");
}

/// A node's id for `js/map.js` (`data-role`, `data-from`, `data-to`): a
/// role's id, or `entry:` and the entry point's slug (ids never hold `:`).
fn node_ref(k: &NodeKey) -> String {
    match k {
        NodeKey::Role(id) => id.clone(),
        NodeKey::Entry(slug) => format!("entry:{slug}"),
    }
}

fn node(s: &mut String, w: &crate::i18n::Words, n: &super::layout::Node) {
    let r = n.rect;
    let mut label = String::new();
    for line in &n.lines {
        let _ = write!(label, r#"<tspan x="{:.0}" y="{:.0}">{}</tspan>"#, line.x, line.y, esc(&line.text));
    }
    let data = esc(&node_ref(&n.key));
    match (&n.key, &n.href) {
        (NodeKey::Role(_), Some(href)) => {
            let k = key(n.color.as_deref().unwrap_or(ENTRY));
            let level = w.formats.number(i64::from(n.level.unwrap_or(1)));
            let track = n.track_name.as_deref().unwrap_or("");
            let mut title = w.tf("map.node_title", &[("role", n.label.as_str()), ("track", track), ("n", &level)]);
            if let Some(h) = &n.hiring {
                let _ = write!(title, ", {}", open_positions(w, h.count));
            }
            let _ = write!(
                s,
                r#"<a class="sp-node" href="{href}" data-role="{data}"><title>{title}</title><rect class="sp-box sp-s{k}" x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{h:.0}" rx="8"/><rect class="sp-f{k}" x="{x:.0}" y="{y:.0}" width="7" height="{h:.0}" rx="3"/><rect class="sp-focus" x="{fx:.0}" y="{fy:.0}" width="{fw:.0}" height="{fh:.0}" rx="10"/><text class="sp-label">{label}</text></a>"#,
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
            if let Some(h) = &n.hiring {
                hiring_badge(s, w, n, h);
            }
        }
        _ => {
            let _ = write!(
                s,
                r#"<g class="sp-node sp-entry" data-role="{data}"><title>{t}</title><rect class="sp-box sp-s{k}" x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{h:.0}" rx="22"/><text class="sp-label">{label}</text></g>"#,
                k = key(ENTRY),
                t = esc(&w.tf("map.entry_title", &[("name", &n.label)])),
                x = r.x,
                y = r.y,
                w = r.w,
                h = r.h,
            );
        }
    }
}

/// "1 open position", "3 open positions".
pub fn open_positions(w: &crate::i18n::Words, n: usize) -> String {
    w.tn("map.open_positions", n as u64, &[])
}

/// Height of a hiring badge, and the size of its text (as in the CSS, 12 px:
/// no word on the map is smaller, tests/map_quality.rs).
const BADGE_H: f64 = 20.0;
const BADGE_PX: f64 = 12.0;

/// The width of the badge that reads `text`.
fn badge_width(text: &str) -> f64 {
    (text.chars().count() as f64 * BADGE_PX * BOLD_CHAR_EM + 16.0).round()
}

/// A hiring role's badge, "3 open", on the top right corner of its box:
/// a link of its own (beside the node's, as links do not nest) to the
/// role's openings, named in full for screen readers and tooltips.
fn hiring_badge(s: &mut String, words: &crate::i18n::Words, n: &super::layout::Node, h: &super::Hiring) {
    let r = n.rect;
    let text = words.tn("map.badge", h.count as u64, &[]);
    let w = badge_width(&text);
    // Mostly above the box, so it never covers the label's first line.
    let (x, y) = ((r.x + r.w - w - 6.0).max(r.x + 8.0), r.y - BADGE_H + 5.0);
    let _ = write!(
        s,
        r#"<a class="sp-hire" href="{href}"><title>{title}</title><rect class="sp-hire-box" x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{BADGE_H:.0}" rx="10"/><text class="sp-hire-text" x="{tx:.0}" y="{ty:.0}" text-anchor="middle">{t}</text></a>"#,
        href = esc(&h.href),
        title =
            esc(&words.tf("map.badge_title", &[("role", &n.label), ("positions", &open_positions(words, h.count))])),
        tx = x + w / 2.0,
        ty = y + BADGE_H / 2.0 + BADGE_PX * 0.36,
        t = esc(&text),
    );
}

fn text(s: &mut String, class: &str, line: &TextLine) {
    let anchor = if line.middle { r#" text-anchor="middle""# } else { "" };
    let _ =
        write!(s, r#"<text class="{class}" x="{:.0}" y="{:.0}"{anchor}>{}</text>"#, line.x, line.y, esc(&line.text));
}

/// An arrowhead `size` px wide and long, filled with colour class
/// `sp-f{color}` and ringed by the canvas colour (`.sp-mk`), so it reads
/// over the lines it crosses.
fn arrow(s: &mut String, id: &str, color: &str, size: u32) {
    let _ = write!(
        s,
        r#"<marker id="{id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="{size}" markerHeight="{size}" orient="auto-start-reverse"><path class="sp-mk sp-f{color}" d="M0 0L10 5L0 10z"/></marker>"#
    );
}

/// The arrowhead of a line of width `w`: about three times as wide as a
/// thin line and still clearly wider than the thickest (whole pixels, so
/// the full map needs few markers).
fn arrow_size(w: f64) -> u32 {
    (7.0 + 2.2 * w).round() as u32
}

fn marker_id(color: &str, size: u32) -> String {
    format!("sp-a{color}-{size}")
}

/// The dash pattern of a line of width `w`: round caps lengthen every dash
/// by `w`, so a fixed pattern closes up on thick lines (issue 15: dashed
/// looked solid). Drawn as (dash − w, gap + w), the visible dashes are
/// 2.5 `w` long (at least 8 px) with gaps of 1.2 `w` (at least 5 px).
fn dashes(w: f64) -> String {
    let (dash, gap) = ((2.5 * w).max(8.0), (1.2 * w).max(5.0));
    format!("{:.1} {:.1}", (dash - w).max(0.1), gap + w)
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
        return IDLE_WIDTH;
    }
    let scale = (count as f64).ln_1p() / (max.max(1) as f64).ln_1p();
    2.0 + 7.0 * scale
}

/// Width of the dotted lines of moves nobody took (`.sp-idle`).
const IDLE_WIDTH: f64 = 2.0;

/// "Ana, Bo and Cy", "Ana, Bo, Cy, Di, Ed and 7 more".
fn names_text(w: &crate::i18n::Words, m: &Movers) -> String {
    let more = m.people.saturating_sub(m.names.len());
    let sep = w.t("list.separator");
    match (m.names.as_slice(), more) {
        ([], _) => String::new(),
        ([one], 0) => one.clone(),
        (names, 0) => {
            w.tf("list.and", &[("items", &names[..names.len() - 1].join(sep)), ("last", &names[names.len() - 1])])
        }
        (names, more) => w.tn("map.names_more", more as u64, &[("names", &names.join(sep))]),
    }
}

/// One move. `people` is given for the full map, whose edges carry the
/// ends (`data-from`, `data-to`) and a title for `js/map.js` and for
/// tooltips. On the other maps every move is the ladder's backdrop: thin,
/// dotted, styled by class, with no tooltip (the legend explains them),
/// and a ladder has many, so they must cost few bytes on every story page.
fn edge(s: &mut String, l: &Layout, e: &Edge, people: Option<&People>) {
    let d = curve(e);
    let Some(people) = people else {
        let _ = write!(s, r#"<path class="sp-edge sp-idle" d="{d}"/>"#);
        return;
    };
    let name = |k: &NodeKey| l.node(k).map_or_else(String::new, |n| n.label.clone());
    let ends = format!(r#" data-from="{}" data-to="{}""#, esc(&node_ref(&e.from)), esc(&node_ref(&e.to)));
    let w = &l.words;
    let route = w.tf("map.route", &[("from", &name(&e.from)), ("to", &name(&e.to))]);
    if e.count == 0 {
        let t = esc(&w.tf("map.idle_move", &[("route", &route)]));
        let _ = write!(s, r#"<path class="sp-edge sp-idle" d="{d}"{ends}><title>{t}</title></path>"#);
        return;
    }
    let movers = people.get(&(e.from.clone(), e.to.clone()));
    let n = movers.map_or(e.count, |m| m.people);
    let who = w.tn("map.people", n as u64, &[]);
    // A move from outside is never the ladder's to list: solid, not dashed.
    let unlisted = !e.supported && !matches!(e.from, NodeKey::Entry(_));
    let listed = if unlisted { w.t("map.unlisted") } else { "" };
    let named = movers
        .map(|m| names_text(w, m))
        .filter(|t| !t.is_empty())
        .map_or_else(String::new, |t| w.tf("map.names", &[("names", &t)]));
    let width = edge_width(e.count, l.max_count);
    let dash = if unlisted { format!(r#" stroke-dasharray="{}""#, dashes(width)) } else { String::new() };
    let k = key(&e.color);
    let _ = write!(
        s,
        r#"<path class="sp-edge sp-s{k}" d="{d}" stroke-width="{width:.1}"{dash} marker-end="url(#{m})"{ends}><title>{t}</title></path>"#,
        m = marker_id(&k, arrow_size(width)),
        t = esc(&w.tf("map.move", &[("route", &route), ("people", &who), ("unlisted", listed), ("names", &named)])),
    );
}

/// One sample of the legend.
enum Sample {
    /// A track's colour, by class key.
    Track(String),
    /// The thinnest and the thickest line drawn.
    Widths(f64, f64),
    Dashed,
    Dotted,
    Entry,
    /// A hiring badge, with its text in the map's language ("2 open").
    Hiring(String),
}

impl Sample {
    fn width(&self) -> f64 {
        match self {
            Sample::Track(_) => 26.0,
            Sample::Widths(..) => 46.0,
            Sample::Dashed | Sample::Dotted => 40.0,
            Sample::Entry => 30.0,
            Sample::Hiring(text) => badge_width(text),
        }
    }

    /// Draws the sample from `x`, centred on `cy`.
    fn draw(&self, s: &mut String, x: f64, cy: f64) {
        let line = |s: &mut String, x1: f64, x2: f64, class: &str, extra: &str| {
            let _ = write!(
                s,
                r#"<line class="sp-key-line {class}" x1="{x1:.0}" y1="{cy:.0}" x2="{x2:.0}" y2="{cy:.0}"{extra}/>"#
            );
        };
        let neutral = format!("sp-s{}", key(NEUTRAL));
        match self {
            Sample::Track(k) => line(s, x + 3.0, x + 23.0, &format!("sp-s{k}"), r#" stroke-width="6""#),
            Sample::Widths(thin, thick) => {
                line(s, x + 2.0, x + 16.0, &neutral, &format!(r#" stroke-width="{thin:.1}""#));
                line(s, x + 26.0, x + 42.0, &neutral, &format!(r#" stroke-width="{thick:.1}""#));
            }
            Sample::Dashed => {
                let extra = format!(r#" stroke-width="3" stroke-dasharray="{}""#, dashes(3.0));
                line(s, x + 2.0, x + 38.0, &neutral, &extra);
            }
            Sample::Dotted => line(s, x + 2.0, x + 38.0, "sp-key-dots", ""),
            Sample::Hiring(text) => {
                let w = badge_width(text);
                let _ = write!(
                    s,
                    r#"<rect class="sp-hire-box" x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{BADGE_H:.0}" rx="10"/><text class="sp-hire-text" x="{tx:.0}" y="{ty:.0}" text-anchor="middle">{}</text>"#,
                    esc(text),
                    y = cy - BADGE_H / 2.0,
                    tx = x + w / 2.0,
                    ty = cy + BADGE_PX * 0.36,
                );
            }
            Sample::Entry => {
                let _ = write!(
                    s,
                    r#"<rect class="sp-key-entry sp-s{}" x="{:.0}" y="{:.0}" width="28" height="16" rx="8"/>"#,
                    key(ENTRY),
                    x + 1.0,
                    cy - 8.0
                );
            }
        }
    }
}

/// Legend rows: their height, and the padding around them.
const KEY_ROW: f64 = 26.0;
const KEY_PAD: f64 = 16.0;
const KEY_GAP: f64 = 28.0;

/// The legend, drawn under the map and wrapped to its width: each track's
/// colour by name, then what the lines and boxes of this kind of map mean
/// (only what it draws). Returns the SVG and the height it adds. Its
/// samples are `<line>`s and classes of its own (`sp-key…`), never
/// `sp-edge`/`sp-node`/`sp-band`, which mean the drawing's parts to
/// `quality` and to `js/map.js`.
fn legend(l: &Layout, traffic: bool) -> (String, f64) {
    let w = &l.words;
    let mut items: Vec<(Sample, String)> =
        l.bands.iter().map(|b| (Sample::Track(key(&b.color)), b.name.clone())).collect();
    let taken: Vec<f64> = l.edges.iter().filter(|e| e.count > 0).map(|e| edge_width(e.count, l.max_count)).collect();
    let drawn = |idle: bool| l.edges.iter().any(|e| if traffic { (e.count == 0) == idle } else { idle && e.supported });
    if traffic && !taken.is_empty() {
        let thin = taken.iter().copied().fold(f64::INFINITY, f64::min);
        let thick = taken.iter().copied().fold(0.0, f64::max);
        items.push((Sample::Widths(thin, thick), w.t("map.legend.widths").into()));
    }
    if traffic && l.edges.iter().any(|e| e.count > 0 && !e.supported && !matches!(e.from, NodeKey::Entry(_))) {
        items.push((Sample::Dashed, w.t("map.legend.dashed").into()));
    }
    if drawn(true) {
        let text = w.t(if traffic { "map.legend.dotted" } else { "map.legend.listed" });
        items.push((Sample::Dotted, text.into()));
    }
    if l.nodes.iter().any(|n| matches!(n.key, NodeKey::Entry(_))) {
        items.push((Sample::Entry, w.t("map.legend.entry").into()));
    }
    if l.nodes.iter().any(|n| n.hiring.is_some()) {
        items.push((Sample::Hiring(w.tn("map.badge", 2, &[])), w.t("map.legend.hiring").into()));
    }
    if items.is_empty() {
        return (String::new(), 0.0);
    }
    let px = LABEL_PX;
    let room = (l.width - 2.0 * KEY_PAD).max(80.0);
    let mut s = format!(
        r#"<g class="sp-key"><line class="sp-key-rule" x1="{KEY_PAD:.0}" y1="{y:.0}" x2="{x2:.0}" y2="{y:.0}"/>"#,
        y = l.height + 2.0,
        x2 = l.width - KEY_PAD
    );
    let (mut x, mut row) = (KEY_PAD, 0usize);
    for (sample, text) in &items {
        // Text too long for a row of its own is cut, never drawn past the edge.
        let fits = ((room - sample.width() - 8.0) / (px * CHAR_EM)).floor().max(4.0) as usize;
        let text = wrap(text, fits, 1).into_iter().next().unwrap_or_default();
        let w = sample.width() + 8.0 + text.chars().count() as f64 * px * CHAR_EM;
        if x > KEY_PAD && x + w > KEY_PAD + room {
            row += 1;
            x = KEY_PAD;
        }
        let top = l.height + 10.0 + row as f64 * KEY_ROW;
        sample.draw(&mut s, x, top + KEY_ROW / 2.0);
        let _ = write!(
            s,
            r#"<text class="sp-key" x="{:.0}" y="{:.0}">{}</text>"#,
            x + sample.width() + 8.0,
            top + KEY_ROW / 2.0 + 4.0,
            esc(&text)
        );
        x += w + KEY_GAP;
    }
    s.push_str("</g>");
    (s, 10.0 + (row + 1) as f64 * KEY_ROW + 8.0)
}

#[cfg(test)]
mod tests {
    use super::super::layout::{layout, tests::big_input};
    use super::super::{MapInput, MapRole, MapTrack};
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
        assert!(!file.contains("aria-") && !file.contains(" role="));
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
        assert_eq!(svg.matches("<path class=\"sp-edge sp-shl0\"").count(), 2);
        assert!(svg.contains(".sp-shl0{stroke:#c2410c}"), "readable already: kept");
        assert!(svg.contains("sp-faded"));
        // Without traffic only the ladder's moves are drawn under the journey.
        let unlisted = l.edges.iter().filter(|e| !e.supported).count();
        assert!(unlisted > 0);
        assert_eq!(svg.matches("<path class=\"sp-edge").count(), l.edges.len() - unlisted + 2);
        assert!(!svg.contains("data-from"), "the backdrop of a journey stays bare");
    }

    #[test]
    fn wider_edges_for_more_people() {
        assert!(edge_width(10, 10) > edge_width(1, 10));
        assert!(edge_width(1, 10) > edge_width(0, 10));
    }

    /// A ladder of one role per track in `colors`, each moving to the next,
    /// with journeys along them and from outside.
    fn colored(colors: &[&str]) -> MapInput {
        let mut input = MapInput::default();
        for (t, c) in colors.iter().enumerate() {
            input.tracks.push(MapTrack { id: format!("t{t}"), name: format!("Track {t}"), color: (*c).into() });
            input.roles.push(MapRole {
                id: format!("r{t}"),
                title: format!("Role {t}"),
                track: format!("t{t}"),
                level: 1 + (t as u32 % 3),
                href: format!("/roles/r{t}/"),
                next: vec![format!("r{}", (t + 1) % colors.len())],
            });
        }
        for i in 0..30 {
            let t = i % colors.len();
            input.journeys.push(vec![
                Place::Outside("Retail".into()),
                Place::Role(format!("r{t}")),
                Place::Role(format!("r{}", (t + 2) % colors.len())),
            ]);
            input.names.push(format!("Person {i}"));
        }
        input
    }

    /// The colours a map's style gives each `.sp-s…` class, light and dark.
    type Strokes = Vec<(String, Rgb)>;

    fn strokes(svg: &str) -> (Strokes, Strokes) {
        let css = &svg[svg.find("<style>").unwrap() + 7..svg.find("</style>").unwrap()];
        let (mut light, mut dark, mut in_dark) = (Vec::new(), Vec::new(), false);
        for chunk in css.split('}') {
            let mut rule = chunk;
            if let Some((media, rest)) = chunk.split_once('{').filter(|(m, _)| m.starts_with("@media")) {
                in_dark = media.contains("prefers-color-scheme:dark");
                rule = rest;
            } else if chunk.is_empty() {
                in_dark = false;
            }
            let Some((sel, body)) = rule.split_once('{') else { continue };
            if let (true, Some(c)) = (sel.starts_with(".sp-s"), body.strip_prefix("stroke:#")) {
                if in_dark { &mut dark } else { &mut light }.push((sel.to_string(), rgb(c)));
            }
        }
        (light, dark)
    }

    /// Issue 15: every line colour of the map, and every journey colour,
    /// has at least 3:1 against the canvas and the band tints it crosses, in
    /// light and in dark mode, whatever colours the ladder gives its tracks.
    #[test]
    fn every_line_reaches_three_to_one_in_both_modes() {
        let demo = ["#1d4ed8", "#14532d", "#7c3aed", "#b45309", "#be123c"];
        let pale = ["#fde68a", "#e0f2fe", "#fbcfe8", "#ffffff", "#d9f99d", "#000000"];
        for colors in [&demo[..], &pale[..]] {
            let l = layout(&colored(colors));
            let canvas = Canvas::of(&l);
            let hl: Vec<Highlight> = highlight_colors(&l)
                .into_iter()
                .map(|color| Highlight { label: "x".into(), steps: vec![], color })
                .collect();
            for svg in [
                render(&l, &MapOptions { traffic: true, ..Default::default() }),
                render(&l, &MapOptions { highlights: hl.clone(), ..Default::default() }),
            ] {
                let (light, dark) = strokes(&svg);
                assert!(light.len() >= colors.len(), "{light:?}");
                assert_eq!(light.len(), dark.len());
                for ((sel, c), bgs, mode) in light
                    .iter()
                    .map(|x| (x, &canvas.light, "light"))
                    .chain(dark.iter().map(|x| (x, &canvas.dark, "dark")))
                {
                    let ratio = min_contrast(*c, bgs);
                    eprintln!("{colors:?} {mode} {sel} {} {ratio:.2}:1", hex(*c));
                    assert!(ratio >= EDGE_CONTRAST, "{sel} {} in {mode} mode: {ratio:.2}:1", hex(*c));
                }
            }
            // The idle lines too.
            let (l_idle, d_idle) = canvas.ink(IDLE);
            assert!(min_contrast(l_idle, &canvas.light) >= 3.0 && min_contrast(d_idle, &canvas.dark) >= 3.0);
        }
        // A colour that reads is kept as the ladder gives it.
        let l = layout(&colored(&demo));
        assert_eq!(hex(Canvas::of(&l).ink("#1d4ed8").0), "#1d4ed8");
    }

    #[test]
    fn dashes_and_arrowheads_read_at_every_width() {
        for tenth in 20..=90 {
            let w = tenth as f64 / 10.0;
            let p: Vec<f64> = dashes(w).split(' ').map(|v| v.parse().unwrap()).collect();
            // Round caps add w to each dash and take it from each gap.
            let (dash, gap) = (p[0] + w, p[1] - w);
            assert!(gap >= 5.0 - 0.1 && gap >= w, "w {w}: gap {gap}");
            assert!(dash >= 2.0 * w && dash >= 8.0 - 0.1, "w {w}: dash {dash}");
            let a = arrow_size(w) as f64;
            assert!(a >= 2.5 * w && a >= 11.0, "w {w}: arrowhead {a}");
        }
    }

    #[test]
    fn moves_name_their_people_capped() {
        let input = colored(&["#1d4ed8", "#14532d", "#7c3aed"]);
        let l = layout(&input);
        let people = people(&input, &l);
        let m = &people[&(NodeKey::Role("r0".into()), NodeKey::Role("r2".into()))];
        assert_eq!(m.people, 10);
        assert_eq!(m.names, ["Person 0", "Person 3", "Person 6", "Person 9", "Person 12"]);
        assert_eq!(
            names_text(crate::i18n::Words::english(), m),
            "Person 0, Person 3, Person 6, Person 9, Person 12 and 5 more"
        );
        assert_eq!(
            names_text(crate::i18n::Words::english(), &Movers { people: 2, names: vec!["A".into(), "B".into()] }),
            "A and B"
        );
        let svg = render_with(&l, &prepare_with(&l, &people), &MapOptions { traffic: true, ..Default::default() });
        assert!(svg.contains(
            r#"data-from="r0" data-to="r2"><title>Role 0 → Role 2: 10 people, not listed in the ladder (Person 0, Person 3, Person 6, Person 9, Person 12 and 5 more)</title>"#
        ));
        assert!(svg.contains(r#"data-from="entry:retail" data-to="r0">"#));
        assert!(svg.contains(r#"<a class="sp-node" href="/roles/r0/" data-role="r0">"#));
        // Names are text: escaped.
        let mut input = input;
        input.names[0] = "<b>Zoë</b> & co".into();
        let svg = render_with(
            &l,
            &prepare_with(&l, &super::people(&input, &l)),
            &MapOptions { traffic: true, ..Default::default() },
        );
        assert!(svg.contains("&lt;b&gt;Zoë&lt;/b&gt; &amp; co") && !svg.contains("<b>"));
    }

    #[test]
    fn every_map_carries_a_legend_below_the_drawing() {
        let input = big_input();
        let l = layout(&input);
        for traffic in [true, false] {
            let svg = render(&l, &MapOptions { traffic, ..Default::default() });
            let key = &svg[svg.find("<g class=\"sp-key\">").unwrap()..];
            assert!(!key.contains("sp-edge") && !key.contains("sp-node") && !key.contains("sp-band"));
            assert!(key.contains("Track number 0 with a long name") && key.contains("Came from outside the ladder"));
            assert_eq!(key.contains("Line width: number of people"), traffic);
            let (_, h) = if traffic { legend(&l, true) } else { legend(&l, false) };
            assert!(svg.contains(&format!(r#"viewBox="0 0 {:.0} {:.0}""#, l.width, l.height + h)));
            // Every text of the legend inside the drawing, none over another.
            let boxes: Vec<super::super::layout::Rect> = key
                .split("<text class=\"sp-key\" ")
                .skip(1)
                .map(|t| {
                    let num = |a: &str| -> f64 {
                        let v = &t[t.find(&format!("{a}=\"")).unwrap() + a.len() + 2..];
                        v[..v.find('"').unwrap()].parse().unwrap()
                    };
                    let text = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
                    let line = TextLine {
                        text: text.into(),
                        x: num("x"),
                        y: num("y"),
                        px: LABEL_PX,
                        bold: false,
                        middle: false,
                    };
                    line.bbox()
                })
                .collect();
            assert!(boxes.len() >= 7);
            for (i, a) in boxes.iter().enumerate() {
                assert!(a.x >= 0.0 && a.x + a.w <= l.width && a.y >= l.height && a.y + a.h <= l.height + h, "{a:?}");
                for b in &boxes[i + 1..] {
                    assert!(!a.overlaps(b), "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn journey_colours_stand_apart_from_the_tracks() {
        let demo = ["#1d4ed8", "#14532d", "#7c3aed", "#b45309", "#be123c"];
        for colors in [&demo[..], crate::load::ladder::PALETTE] {
            let l = layout(&colored(colors));
            let hl = highlight_colors(&l);
            eprintln!("{colors:?}: {hl:?}");
            assert_eq!(hl.len(), HIGHLIGHT_COLORS_LEN);
            assert_eq!(hl, highlight_colors(&l), "deterministic");
            // Clearly apart while the colour wheel has room, never close.
            for (i, h) in hl.iter().enumerate() {
                for c in colors {
                    let d = color::distance(rgb(h), rgb(c));
                    assert!(d >= if i == 0 { APART } else { 15.0 }, "{h} is too close to track colour {c} (ΔE {d:.1})");
                }
            }
        }
        // The fallback list is the default palette's.
        let l = layout(&colored(crate::load::ladder::PALETTE));
        assert_eq!(highlight_colors(&l), HIGHLIGHT_COLORS);
    }
}
