//! Measures a drawn map, so that layout changes are judged by numbers and not
//! by eye (issue 15, "Measured, not eyeballed").
//!
//! It reads the SVG as a browser would draw it, not the layout's own data:
//! the same code then measures storypath's `map.svg` and Graphviz `dot`'s
//! drawing of the same graph, and a layout bug that the layout's data hides
//! (a curve bulging through a box) is still seen. It reads both dialects:
//!
//! - storypath's (see [`super::svg`]): nodes are `.sp-node` elements holding
//!   a `rect.sp-box`, edges are `path.sp-edge`, font sizes come from the
//!   classes of the embedded `<style>`;
//! - dot's `-Tsvg`: nodes are `g.node` with a polygon or ellipse, edges are
//!   `g.edge` with a path and a `<title>` naming their ends (`a->b`), text
//!   carries `font-size`, coordinates sit under `transform`s.
//!
//! Edges are Bézier curves sampled into polylines. The two end nodes of an
//! edge are read from its title when it has one, else found geometrically
//! (the node box nearest its first and last points: storypath's edges start
//! and end on a box side), so the drawing needs no extra attributes. Text
//! boxes are estimated from font size and character count exactly as
//! [`super::layout::TextLine::bbox`] does.

use super::layout::{Rect, BOLD_CHAR_EM, CHAR_EM};
use std::collections::{BTreeMap, HashMap};

/// A point in the drawing's user units.
pub type Pt = (f64, f64);

/// A node as drawn: its box (the bounding box of its shape).
#[derive(Debug, Clone)]
pub struct DrawnNode {
    /// dot's node name, or storypath's node title.
    pub id: String,
    pub rect: Rect,
    /// The label as drawn, one entry per line.
    pub lines: Vec<String>,
    /// An outside entry point (storypath's `.sp-entry`).
    pub entry: bool,
}

/// An edge as drawn, its curve sampled.
#[derive(Debug, Clone)]
pub struct DrawnEdge {
    /// At least two: [`parse`] keeps no shorter path, so the ends exist.
    pub points: Vec<Pt>,
    /// Indexes into [`Drawing::nodes`]; `None` when no node is near that end.
    pub from: Option<usize>,
    pub to: Option<usize>,
}

/// One line of text with its estimated box.
#[derive(Debug, Clone)]
pub struct DrawnText {
    pub text: String,
    pub rect: Rect,
    /// Font size in user units.
    pub px: f64,
    /// The node whose label this is.
    pub node: Option<usize>,
}

/// What the measures need from an SVG.
#[derive(Debug, Clone, Default)]
pub struct Drawing {
    /// The viewBox size, in user units.
    pub width: f64,
    pub height: f64,
    /// The CSS width the document asks for (its `width` attribute in px; pt are 4/3 px).
    pub css_width: f64,
    /// `style="min-width:..."` in px (storypath's maps never shrink below it), 0 when absent.
    pub min_width: f64,
    pub nodes: Vec<DrawnNode>,
    pub edges: Vec<DrawnEdge>,
    pub texts: Vec<DrawnText>,
    /// Track bands (storypath's `.sp-band`, dot's clusters), to group nodes in [`to_dot`].
    pub bands: Vec<Rect>,
}

/// The numbers of one drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Quality {
    pub nodes: usize,
    pub edges: usize,
    /// Pairs of edges whose curves cross (touching at a node both connect does not count).
    pub crossings: usize,
    /// Edges that pass through the box of a node they do not connect.
    pub intrusions: usize,
    /// (edge, node) pairs behind `intrusions`.
    pub intrusion_pairs: usize,
    /// Edges that pass through a text line that is not a label of their end nodes.
    pub edges_through_labels: usize,
    /// Pairs that overlap: node with node, text line with text line, a text line with a node it is not in.
    pub overlaps: usize,
    pub width: f64,
    pub height: f64,
    pub css_width: f64,
    pub min_width: f64,
    /// Smallest font size, in user units.
    pub min_font: f64,
}

/// How wide the page's content column is, read from the theme's CSS: the
/// map sits in `.wrap.section > .map-scroll` (see the horizon templates).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// `--wrap`: max width of `.wrap` (border-box, padding included).
    pub wrap: f64,
    /// Horizontal padding of `.section` (it overrides `.wrap`'s: it comes later).
    pub pad: f64,
    /// Below or at this viewport width, `.section` has `narrow_pad`.
    pub narrow_below: f64,
    pub narrow_pad: f64,
    /// From this viewport width on, `.map-scroll svg` gets `max-width: 100%`
    /// (the map shrinks to the column, down to its min-width); below it the
    /// map keeps its own width and scrolls.
    pub shrink_from: f64,
    /// `.map-scroll`'s border, on each side.
    pub border: f64,
}

impl Column {
    /// The horizon theme's figures, as of this writing; [`Column::from_css`]
    /// falls back to each when it cannot find it.
    pub const HORIZON: Column =
        Column { wrap: 1160.0, pad: 20.0, narrow_below: 760.0, narrow_pad: 16.0, shrink_from: 1000.0, border: 1.0 };

    /// Reads the figures from a theme's stylesheet (a few known rules, not a
    /// CSS engine): `--wrap`, `.section`'s padding (also inside the
    /// `max-width` media query), the `min-width` media query that lets
    /// `.map-scroll svg` shrink, `.map-scroll`'s border.
    pub fn from_css(css: &str) -> Column {
        let d = Column::HORIZON;
        let wrap = css.find("--wrap:").and_then(|i| first_px(&css[i + 7..])).unwrap_or(d.wrap);
        let top = strip_media(css);
        let pad = rule(&top, ".section").and_then(|b| padding_x(&b)).unwrap_or(d.pad);
        let (mut narrow_below, mut narrow_pad) = (d.narrow_below, d.narrow_pad);
        let mut shrink_from = d.shrink_from;
        for (query, body) in media_blocks(css) {
            if query.contains("max-width") {
                if let (Some(w), Some(p)) = (first_px(&query), rule(&body, ".section").and_then(|b| padding_x(&b))) {
                    narrow_below = w;
                    narrow_pad = p;
                }
            }
            if query.contains("min-width")
                && rule(&body, ".map-scroll svg").is_some_and(|b| b.replace(' ', "").contains("max-width:100%"))
            {
                shrink_from = first_px(&query).unwrap_or(shrink_from);
            }
        }
        let border = rule(&top, ".map-scroll")
            .and_then(|b| b.split(';').find(|d| d.trim().starts_with("border:")).and_then(first_px))
            .unwrap_or(d.border);
        Column { wrap, pad, narrow_below, narrow_pad, shrink_from, border }
    }

    /// The width the map may take at a viewport width (the `.map-scroll` content box).
    pub fn width_at(&self, viewport: f64) -> f64 {
        let pad = if viewport <= self.narrow_below { self.narrow_pad } else { self.pad };
        viewport.min(self.wrap) - 2.0 * pad - 2.0 * self.border
    }
}

/// A drawing as a page shows it at one viewport width.
#[derive(Debug, Clone, PartialEq)]
pub struct OnScreen {
    pub viewport: f64,
    pub column: f64,
    /// The map's rendered width in CSS px.
    pub rendered: f64,
    /// Smallest font size in CSS px.
    pub font_px: f64,
    /// The whole map is visible without scrolling sideways.
    pub fits: bool,
    /// The share of the map's width visible at once.
    pub visible: f64,
}

/// How the map of `q` renders in `col` at `viewport` px: the theme's rules
/// (shrink to the column from `shrink_from` on, never below the SVG's
/// min-width; else the SVG's own width) applied to the SVG's width.
pub fn on_screen(q: &Quality, col: &Column, viewport: f64) -> OnScreen {
    let column = col.width_at(viewport);
    let natural = if q.css_width > 0.0 { q.css_width } else { q.width };
    let mut rendered = if viewport >= col.shrink_from { natural.min(column) } else { natural };
    rendered = rendered.max(q.min_width);
    let scale = if q.width > 0.0 { rendered / q.width } else { 1.0 };
    OnScreen {
        viewport,
        column,
        rendered,
        font_px: q.min_font * scale,
        fits: rendered <= column + 0.5,
        visible: (column / rendered).min(1.0),
    }
}

/// The header of [`table_row`]'s Markdown table.
pub const TABLE_HEADER: &str = "| map | nodes | edges | crossings | intrusions | edges through labels | overlaps | size (px) | smallest font at 1280 / 375 | fits column at 1280 / 375 (visible) |\n\
     | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |";

/// One Markdown table row of a drawing's numbers (sizes in CSS px, as the page shows it).
pub fn table_row(name: &str, q: &Quality, col: &Column) -> String {
    let (wide, narrow) = (on_screen(q, col, 1280.0), on_screen(q, col, 375.0));
    let fits = |s: &OnScreen| if s.fits { "yes".to_string() } else { format!("no ({:.0}%)", s.visible * 100.0) };
    let scale = if q.width > 0.0 { q.css_width / q.width } else { 1.0 };
    format!(
        "| {name} | {} | {} | {} | {} | {} | {} | {:.0} × {:.0} | {:.1} / {:.1} px | {} / {} |",
        q.nodes,
        q.edges,
        q.crossings,
        q.intrusions,
        q.edges_through_labels,
        q.overlaps,
        q.width * scale,
        q.height * scale,
        wide.font_px,
        narrow.font_px,
        fits(&wide),
        fits(&narrow),
    )
}

/// Parses an SVG (storypath's or dot's) into what the measures need.
pub fn parse(svg: &str) -> Result<Drawing, String> {
    // dot's SVG starts with a DOCTYPE (an external DTD, never fetched).
    let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(svg, opts).map_err(|e| format!("not XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err(format!("the root is <{}>, not <svg>", root.tag_name().name()));
    }
    let nums = |s: &str| numbers(s);
    let view = root.attribute("viewBox").map(nums).unwrap_or_default();
    let css_len = |name: &str| root.attribute(name).and_then(length);
    let (width, height) = match view.as_slice() {
        [_, _, w, h] => (*w, *h),
        _ => (css_len("width").unwrap_or(0.0), css_len("height").unwrap_or(0.0)),
    };
    let min_width = root
        .attribute("style")
        .and_then(|s| s.split(';').find_map(|d| d.trim().strip_prefix("min-width:").and_then(length)))
        .unwrap_or(0.0);
    let mut d =
        Drawing { width, height, css_width: css_len("width").unwrap_or(width), min_width, ..Default::default() };
    let styles = class_styles(&doc);

    // Nodes first: texts and edges refer to them.
    let mut node_of: HashMap<roxmltree::NodeId, usize> = HashMap::new();
    let mut edge_titles: Vec<Option<(String, String)>> = Vec::new();
    for n in doc.descendants().filter(|n| n.is_element() && !in_defs(n)) {
        let class = n.attribute("class").unwrap_or("");
        let classes: Vec<&str> = class.split_whitespace().collect();
        if classes.contains(&"sp-node") {
            let Some(b) = n.descendants().find(|c| has_class(c, "sp-box")) else { continue };
            let Some(rect) = shape_box(&b) else { continue };
            let id = title_of(&n).unwrap_or_default();
            node_of.insert(n.id(), d.nodes.len());
            d.nodes.push(DrawnNode { id, rect, lines: Vec::new(), entry: classes.contains(&"sp-entry") });
        } else if n.tag_name().name() == "g" && classes.contains(&"node") {
            let Some(rect) = n.children().filter(|c| c.is_element()).find_map(|c| shape_box(&c)) else { continue };
            node_of.insert(n.id(), d.nodes.len());
            d.nodes.push(DrawnNode { id: title_of(&n).unwrap_or_default(), rect, lines: Vec::new(), entry: false });
        } else if classes.contains(&"sp-band") || (n.tag_name().name() == "g" && classes.contains(&"cluster")) {
            if let Some(rect) = n.children().filter(|c| c.is_element()).find_map(|c| shape_box(&c)) {
                d.bands.push(rect);
            }
        } else if n.tag_name().name() == "path" && classes.contains(&"sp-edge") {
            let pts = transformed(&n, path_points(n.attribute("d").unwrap_or("")));
            if pts.len() >= 2 {
                d.edges.push(DrawnEdge { points: pts, from: None, to: None });
                edge_titles.push(None);
            }
        } else if n.tag_name().name() == "g" && classes.contains(&"edge") {
            let Some(p) = n.children().find(|c| c.tag_name().name() == "path") else { continue };
            let pts = transformed(&p, path_points(p.attribute("d").unwrap_or("")));
            if pts.len() >= 2 {
                let ends = title_of(&n).and_then(|t| t.split_once("->").map(|(a, b)| (a.to_string(), b.to_string())));
                d.edges.push(DrawnEdge { points: pts, from: None, to: None });
                edge_titles.push(ends);
            }
        }
    }
    let by_id: BTreeMap<&str, usize> = d.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let ends: Vec<(Option<usize>, Option<usize>)> = d
        .edges
        .iter()
        .zip(&edge_titles)
        .map(|(e, t)| match t.as_ref().and_then(|(a, b)| Some((*by_id.get(a.as_str())?, *by_id.get(b.as_str())?))) {
            Some((a, b)) => (Some(a), Some(b)),
            None => (nearest_node(&d.nodes, e.points[0]), nearest_node(&d.nodes, *e.points.last().unwrap())),
        })
        .collect();
    for (e, (a, b)) in d.edges.iter_mut().zip(ends) {
        e.from = a;
        e.to = b;
    }

    // Text: one line per <tspan> with a position, else per <text>.
    for t in doc.descendants().filter(|n| n.has_tag_name("text") && !in_defs(n)) {
        let node = t.ancestors().find_map(|a| node_of.get(&a.id()).copied());
        let spans: Vec<roxmltree::Node> =
            t.children().filter(|c| c.has_tag_name("tspan") && c.attribute("y").is_some()).collect();
        let lines: Vec<roxmltree::Node> = if spans.is_empty() { vec![t] } else { spans };
        for line in lines {
            let text: String = line.descendants().filter(|c| c.is_text()).filter_map(|c| c.text()).collect::<String>();
            let text = text.trim().to_string();
            if text.is_empty() {
                continue;
            }
            let st = text_style(&line, &styles);
            let (x, y) = (attr_num(&line, "x").unwrap_or(0.0), attr_num(&line, "y").unwrap_or(0.0));
            let em = if st.bold { BOLD_CHAR_EM } else { CHAR_EM };
            let w = text.chars().count() as f64 * st.px * em;
            let left = match st.anchor.as_str() {
                "middle" => x - w / 2.0,
                "end" => x - w,
                _ => x,
            };
            let r = transform_rect(&line, Rect { x: left, y: y - 0.8 * st.px, w, h: 1.05 * st.px });
            let scale = ctm(&line).scale();
            if let Some(i) = node {
                d.nodes[i].lines.push(text.clone());
            }
            d.texts.push(DrawnText { text, rect: r, px: st.px * scale, node });
        }
    }
    Ok(d)
}

/// Computes every measure of a drawing.
pub fn measure(d: &Drawing) -> Quality {
    let boxes: Vec<Rect> = d.edges.iter().map(|e| bounds(&e.points)).collect();
    let mut crossings = 0;
    for i in 0..d.edges.len() {
        for j in i + 1..d.edges.len() {
            let (a, b) = (&d.edges[i], &d.edges[j]);
            if !touches(&boxes[i], &boxes[j], 0.0) {
                continue;
            }
            let shared: Vec<Rect> = [a.from, a.to]
                .into_iter()
                .flatten()
                .filter(|n| b.from == Some(*n) || b.to == Some(*n))
                .map(|n| d.nodes[n].rect)
                .collect();
            // Meeting at a node both connect, or where one ends on the other, is touching, not crossing.
            let ends = [a.points[0], *a.points.last().unwrap(), b.points[0], *b.points.last().unwrap()];
            let crossed = crossing_points(&a.points, &b.points).into_iter().any(|p| {
                !shared.iter().any(|r| distance(r, p) <= 4.0)
                    && !ends.iter().any(|e| (e.0 - p.0).hypot(e.1 - p.1) <= 0.5)
            });
            if crossed {
                crossings += 1;
            }
        }
    }
    let (mut intrusions, mut intrusion_pairs, mut through_labels) = (0, 0, 0);
    for (e, bb) in d.edges.iter().zip(&boxes) {
        let ends = |n: usize| e.from == Some(n) || e.to == Some(n);
        let hits = d
            .nodes
            .iter()
            .enumerate()
            .filter(|(i, n)| {
                !ends(*i) && touches(bb, &n.rect, 0.0) && polyline_enters(&e.points, &shrink(&n.rect, 1.0))
            })
            .count();
        intrusion_pairs += hits;
        intrusions += usize::from(hits > 0);
        let through = d.texts.iter().any(|t| {
            !t.node.is_some_and(ends) && touches(bb, &t.rect, 0.0) && polyline_enters(&e.points, &shrink(&t.rect, 0.5))
        });
        through_labels += usize::from(through);
    }
    let mut overlaps = 0;
    for (i, a) in d.nodes.iter().enumerate() {
        overlaps += d.nodes[i + 1..].iter().filter(|b| a.rect.overlaps(&b.rect)).count();
    }
    for (i, a) in d.texts.iter().enumerate() {
        overlaps += d.texts[i + 1..].iter().filter(|b| a.rect.overlaps(&b.rect)).count();
        overlaps += d.nodes.iter().enumerate().filter(|(n, r)| a.node != Some(*n) && a.rect.overlaps(&r.rect)).count();
    }
    Quality {
        nodes: d.nodes.len(),
        edges: d.edges.len(),
        crossings,
        intrusions,
        intrusion_pairs,
        edges_through_labels: through_labels,
        overlaps,
        width: d.width,
        height: d.height,
        css_width: d.css_width,
        min_width: d.min_width,
        min_font: d.texts.iter().map(|t| t.px).reduce(f64::min).unwrap_or(0.0),
    }
}

/// Parses and measures in one step.
pub fn measure_svg(svg: &str) -> Result<Quality, String> {
    parse(svg).map(|d| measure(&d))
}

/// The graph a drawing shows, as DOT for Graphviz: the same nodes (same box
/// sizes, same label lines, 12 px = 9 pt text), ranked by the row they sit
/// in (`rank=same`, level 1 at the bottom, entry points below it, kept in
/// order by an invisible chain), and the same edges. With `clusters`, the
/// nodes of each band are a cluster: dot then keeps each track together as
/// our grid does, which is the fair comparison; without, dot may interleave
/// the tracks (fewer crossings: a lower bound, not a like-for-like drawing).
/// dot works in points and writes `width="..pt"`, so its drawing comes out
/// at the same CSS size as ours and the two are measured on equal terms.
/// Clusters and nodes are listed by label, not in our drawing's order: dot
/// starts from the order it is given, so that would hand it our ordering
/// (and Graphviz 2.43 loops for ever in mincross on some clustered graphs
/// given in some orders, "rank N has only 6 < 8 nodes").
/// The level a node's title names: "Team Lead, level 3" or, for a role that
/// is hiring, "Team Lead, level 3, 2 open positions".
pub fn level_of(title: &str) -> Option<i64> {
    let (_, rest) = title.rsplit_once(", level ")?;
    rest.split(',').next()?.trim().parse().ok()
}

pub fn to_dot(d: &Drawing, clusters: bool) -> String {
    use std::fmt::Write;
    let mut s = String::from(
        "digraph map {\n  newrank=true; rankdir=BT; nodesep=0.22; ranksep=0.55;\n  \
         node [shape=box, fixedsize=true, fontname=\"sans-serif\", fontsize=9];\n  \
         edge [arrowsize=0.7];\n",
    );
    let q = |t: &str| t.replace('\\', "\\\\").replace('"', "\\\"");
    let band_of = |r: &Rect| d.bands.iter().position(|b| b.x <= r.cx() && r.cx() <= b.x + b.w);
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut loose = Vec::new();
    for (i, n) in d.nodes.iter().enumerate() {
        match band_of(&n.rect).filter(|_| clusters && !n.entry) {
            Some(b) => groups.entry(b).or_default().push(i),
            None => loose.push(i),
        }
    }
    let node_line = |s: &mut String, i: usize| {
        let n = &d.nodes[i];
        let style = if n.entry { ", style=dashed" } else { "" };
        let _ = writeln!(
            s,
            "    n{i} [label=\"{}\", width={:.3}, height={:.3}{style}];",
            q(&n.lines.join("\n")).replace('\n', "\\n"),
            n.rect.w / 96.0,
            n.rect.h / 96.0
        );
    };
    let by_label =
        |list: &mut Vec<usize>| list.sort_by(|&a, &b| d.nodes[a].lines.cmp(&d.nodes[b].lines).then(a.cmp(&b)));
    let mut clusters: Vec<Vec<usize>> = groups.into_values().collect();
    clusters.iter_mut().for_each(by_label);
    clusters.sort_by(|a, b| d.nodes[a[0]].lines.cmp(&d.nodes[b[0]].lines).then(a[0].cmp(&b[0])));
    by_label(&mut loose);
    for (b, members) in clusters.iter().enumerate() {
        let _ = writeln!(s, "  subgraph cluster_{b} {{ style=rounded; color=\"#d1d5db\";");
        for &i in members {
            node_line(&mut s, i);
        }
        s.push_str("  }\n");
    }
    for &i in &loose {
        node_line(&mut s, i);
    }
    // Ranks by level, bottom first: a role's title ends "level N" (our
    // map stacks crowded cells in sub-rows, dot gets one rank a level);
    // entry points below level 1. A drawing without levels: by row.
    let level = |n: &DrawnNode| level_of(&n.id);
    let by_level = d.nodes.iter().all(|n| n.entry || level(n).is_some());
    let mut rows: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, n) in d.nodes.iter().enumerate() {
        let key = match (by_level, level(n)) {
            (true, Some(l)) => l,
            (true, None) => 0,
            _ => -((n.rect.y + n.rect.h / 2.0).round() as i64),
        };
        rows.entry(key).or_default().push(i);
    }
    let mut rank = vec![0usize; d.nodes.len()];
    for (k, members) in rows.values().enumerate() {
        members.iter().for_each(|&i| rank[i] = k);
        let list: Vec<String> = members.iter().map(|i| format!("n{i}")).collect();
        let _ = writeln!(s, "  {{ rank=same; r{k} [style=invis, shape=point, width=0]; {}; }}", list.join("; "));
        if k > 0 {
            let _ = writeln!(s, "  r{} -> r{k} [style=invis];", k - 1);
        }
    }
    // A move down a level is written up and drawn backwards: dot breaks
    // cycles by reversing edges, and a reversed rank chain would merge rows.
    for e in &d.edges {
        match (e.from, e.to) {
            (Some(a), Some(b)) if rank[a] > rank[b] => {
                let _ = writeln!(s, "  n{b} -> n{a} [dir=back];");
            }
            (Some(a), Some(b)) => {
                let _ = writeln!(s, "  n{a} -> n{b};");
            }
            _ => {}
        }
    }
    s.push_str("}\n");
    s
}

/// Style a class gives text.
#[derive(Debug, Clone, Default)]
struct TextStyle {
    px: f64,
    bold: bool,
    anchor: String,
}

/// Font size (px), bold, text anchor, by class name; `None` where a class says nothing.
type ClassStyles = HashMap<String, (Option<f64>, Option<bool>, Option<String>)>;

/// How long dot may take on one graph.
pub const DOT_SECONDS: u64 = 120;

/// Graphviz dot's SVG drawing of a DOT graph (`dot -Tsvg`), for the
/// comparison: the measuring tool and the map test both draw with it.
pub fn dot_svg(dot: &str) -> Result<String, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run dot (install graphviz): {e}"))?;
    let mut stdin = child.stdin.take().ok_or("dot has no standard input")?;
    // dot can run for many minutes on some clustered graphs (its mincross
    // and network simplex have no overall bound): it gets `DOT_SECONDS`.
    let input = dot.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut stdout = child.stdout.take().ok_or("dot has no standard output")?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
    });
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().map_err(|e| e.to_string())? {
            break st;
        }
        if started.elapsed().as_secs() >= DOT_SECONDS {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("dot ran past {DOT_SECONDS} s"));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let _ = writer.join();
    let stdout = reader.join().map_err(|_| "reading dot's output failed")?.map_err(|e| e.to_string())?;
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        return Err(format!("dot failed: {err}"));
    }
    let out = std::process::Output { status, stdout, stderr: Vec::new() };
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// Font size, weight and anchor per class, from simple `.class{...}` rules of
/// the `<style>` elements (the last class of a selector is the one styled).
fn class_styles(doc: &roxmltree::Document) -> ClassStyles {
    let mut out = ClassStyles::new();
    for st in doc.descendants().filter(|n| n.has_tag_name("style")) {
        let css: String = st.descendants().filter_map(|c| c.text()).collect();
        for chunk in css.split('}') {
            let Some((sel, body)) = chunk.split_once('{') else { continue };
            for sel in sel.split(',') {
                let Some(class) = sel.split_whitespace().last().and_then(|s| s.rsplit('.').next()) else { continue };
                if !sel.contains('.') || class.contains(':') {
                    continue;
                }
                let e = out.entry(class.to_string()).or_default();
                for decl in body.split(';') {
                    let Some((k, v)) = decl.split_once(':') else { continue };
                    let v = v.trim();
                    match k.trim() {
                        "font" => {
                            e.0 = v.split_whitespace().find_map(|w| w.strip_suffix("px")?.parse().ok()).or(e.0);
                            e.1 = Some(v.split_whitespace().any(|w| matches!(w, "bold" | "600" | "700" | "800")));
                        }
                        "font-size" => e.0 = length(v).or(e.0),
                        "font-weight" => e.1 = Some(matches!(v, "bold" | "600" | "700" | "800" | "900")),
                        "text-anchor" => e.2 = Some(v.to_string()),
                        _ => {}
                    }
                }
            }
        }
    }
    out
}

/// The text style of an element: its own attributes, then its classes, then its ancestors'.
fn text_style(n: &roxmltree::Node, styles: &ClassStyles) -> TextStyle {
    let (mut px, mut bold, mut anchor) = (None, None, None);
    for a in n.ancestors().filter(|a| a.is_element()) {
        px = px.or_else(|| a.attribute("font-size").and_then(length));
        bold = bold.or_else(|| a.attribute("font-weight").map(|w| matches!(w, "bold" | "600" | "700" | "800")));
        anchor = anchor.or_else(|| a.attribute("text-anchor").map(str::to_string));
        for c in a.attribute("class").unwrap_or("").split_whitespace() {
            if let Some((p, b, an)) = styles.get(c) {
                px = px.or(*p);
                bold = bold.or(*b);
                anchor = anchor.or_else(|| an.clone());
            }
        }
    }
    // 16px is the browsers' default font size.
    TextStyle { px: px.unwrap_or(16.0), bold: bold.unwrap_or(false), anchor: anchor.unwrap_or_default() }
}

fn has_class(n: &roxmltree::Node, class: &str) -> bool {
    n.attribute("class").is_some_and(|c| c.split_whitespace().any(|c| c == class))
}

fn in_defs(n: &roxmltree::Node) -> bool {
    n.ancestors().any(|a| matches!(a.tag_name().name(), "defs" | "marker" | "symbol" | "clipPath" | "mask"))
}

fn title_of(n: &roxmltree::Node) -> Option<String> {
    n.children().find(|c| c.has_tag_name("title")).map(|t| t.descendants().filter_map(|c| c.text()).collect())
}

/// A length in CSS px: `12`, `12px`, `9pt` (4/3 px), `1in` (96 px).
fn length(s: &str) -> Option<f64> {
    let s = s.trim();
    let (num, f) = if let Some(n) = s.strip_suffix("px") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix("pt") {
        (n, 4.0 / 3.0)
    } else if let Some(n) = s.strip_suffix("in") {
        (n, 96.0)
    } else {
        (s, 1.0)
    };
    num.trim().parse::<f64>().ok().map(|v| v * f)
}

fn attr_num(n: &roxmltree::Node, name: &str) -> Option<f64> {
    n.attribute(name).and_then(|v| numbers(v).first().copied())
}

/// Every number in `s` (SVG number syntax: `1-2.5.5e1` is 1, -2.5, 0.5e1).
fn numbers(s: &str) -> Vec<f64> {
    tokens(s).into_iter().filter_map(|t| if let Tok::Num(v) = t { Some(v) } else { None }).collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Cmd(char),
    Num(f64),
}

fn tokens(d: &str) -> Vec<Tok> {
    let b = d.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphabetic() && c != b'e' && c != b'E' {
            out.push(Tok::Cmd(c as char));
            i += 1;
        } else if c == b'-' || c == b'+' || c == b'.' || c.is_ascii_digit() {
            let start = i;
            let mut dot = c == b'.';
            i += 1;
            while i < b.len() {
                match b[i] {
                    b'0'..=b'9' => i += 1,
                    b'.' if !dot => {
                        dot = true;
                        i += 1;
                    }
                    b'e' | b'E' => {
                        dot = true;
                        i += 1;
                        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
                            i += 1;
                        }
                    }
                    _ => break,
                }
            }
            if let Ok(v) = d[start..i].parse() {
                out.push(Tok::Num(v));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Segments per Bézier curve: enough that a sampled curve stays within a
/// fraction of a pixel of the real one at map scales.
const BEZIER_STEPS: usize = 16;

/// The points of a path's outline, curves sampled; arcs are drawn as chords.
fn path_points(d: &str) -> Vec<Pt> {
    let toks = tokens(d);
    let mut out: Vec<Pt> = Vec::new();
    let (mut cur, mut start) = ((0.0, 0.0), (0.0, 0.0));
    let mut last_ctrl: Option<Pt> = None;
    let mut cmd = 'M';
    let mut i = 0;
    let mut args: Vec<f64> = Vec::new();
    while i < toks.len() {
        if let Tok::Cmd(c) = toks[i] {
            cmd = c;
            i += 1;
            if matches!(c, 'Z' | 'z') {
                cur = start;
                out.push(cur);
                continue;
            }
        }
        let need = match cmd.to_ascii_uppercase() {
            'M' | 'L' | 'T' => 2,
            'H' | 'V' => 1,
            'C' => 6,
            'S' | 'Q' => 4,
            'A' => 7,
            _ => {
                i += 1;
                continue;
            }
        };
        args.clear();
        while args.len() < need && i < toks.len() {
            match toks[i] {
                Tok::Num(v) => args.push(v),
                Tok::Cmd(_) => break,
            }
            i += 1;
        }
        if args.len() < need {
            break;
        }
        let rel = cmd.is_ascii_lowercase();
        let p = |k: usize| if rel { (cur.0 + args[k], cur.1 + args[k + 1]) } else { (args[k], args[k + 1]) };
        match cmd.to_ascii_uppercase() {
            'M' => {
                cur = p(0);
                start = cur;
                out.push(cur);
                // Further pairs after a moveto are linetos.
                cmd = if rel { 'l' } else { 'L' };
                last_ctrl = None;
            }
            'L' => {
                cur = p(0);
                out.push(cur);
                last_ctrl = None;
            }
            'H' => {
                cur.0 = if rel { cur.0 + args[0] } else { args[0] };
                out.push(cur);
                last_ctrl = None;
            }
            'V' => {
                cur.1 = if rel { cur.1 + args[0] } else { args[0] };
                out.push(cur);
                last_ctrl = None;
            }
            'C' | 'S' => {
                let (c1, c2, end) = if cmd.eq_ignore_ascii_case(&'C') {
                    (p(0), p(2), p(4))
                } else {
                    let c1 = last_ctrl.map_or(cur, |c| (2.0 * cur.0 - c.0, 2.0 * cur.1 - c.1));
                    (c1, p(0), p(2))
                };
                for k in 1..=BEZIER_STEPS {
                    let t = k as f64 / BEZIER_STEPS as f64;
                    let u = 1.0 - t;
                    let (a, b, c, e) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
                    out.push((
                        a * cur.0 + b * c1.0 + c * c2.0 + e * end.0,
                        a * cur.1 + b * c1.1 + c * c2.1 + e * end.1,
                    ));
                }
                last_ctrl = Some(c2);
                cur = end;
            }
            'Q' | 'T' => {
                let (c1, end) = if cmd.eq_ignore_ascii_case(&'Q') {
                    (p(0), p(2))
                } else {
                    (last_ctrl.map_or(cur, |c| (2.0 * cur.0 - c.0, 2.0 * cur.1 - c.1)), p(0))
                };
                for k in 1..=BEZIER_STEPS {
                    let t = k as f64 / BEZIER_STEPS as f64;
                    let u = 1.0 - t;
                    out.push((
                        u * u * cur.0 + 2.0 * u * t * c1.0 + t * t * end.0,
                        u * u * cur.1 + 2.0 * u * t * c1.1 + t * t * end.1,
                    ));
                }
                last_ctrl = Some(c1);
                cur = end;
            }
            _ => {
                cur = p(5);
                out.push(cur);
                last_ctrl = None;
            }
        }
    }
    out
}

/// An affine transform `[a b c d e f]` (SVG's matrix order).
#[derive(Debug, Clone, Copy)]
struct Affine([f64; 6]);

impl Affine {
    const ID: Affine = Affine([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    /// `self` after `o` (o is applied first).
    fn then(self, o: Affine) -> Affine {
        let [a, b, c, d, e, f] = self.0;
        let [oa, ob, oc, od, oe, of] = o.0;
        Affine([
            a * oa + c * ob,
            b * oa + d * ob,
            a * oc + c * od,
            b * oc + d * od,
            a * oe + c * of + e,
            b * oe + d * of + f,
        ])
    }
    fn apply(&self, p: Pt) -> Pt {
        let [a, b, c, d, e, f] = self.0;
        (a * p.0 + c * p.1 + e, b * p.0 + d * p.1 + f)
    }
    /// How much lengths grow (for font sizes).
    fn scale(&self) -> f64 {
        let [a, b, c, d, ..] = self.0;
        (a * d - b * c).abs().sqrt()
    }
}

fn parse_transform(s: &str) -> Affine {
    let mut m = Affine::ID;
    for part in s.split(')') {
        let Some((name, args)) = part.split_once('(') else { continue };
        let v = numbers(args);
        let g = |k: usize, d: f64| v.get(k).copied().unwrap_or(d);
        let t = match name.trim().trim_start_matches(',').trim() {
            "translate" => Affine([1.0, 0.0, 0.0, 1.0, g(0, 0.0), g(1, 0.0)]),
            "scale" => Affine([g(0, 1.0), 0.0, 0.0, g(1, g(0, 1.0)), 0.0, 0.0]),
            "rotate" => {
                let r = g(0, 0.0).to_radians();
                let (cx, cy) = (g(1, 0.0), g(2, 0.0));
                let rot = Affine([r.cos(), r.sin(), -r.sin(), r.cos(), 0.0, 0.0]);
                Affine([1.0, 0.0, 0.0, 1.0, cx, cy]).then(rot).then(Affine([1.0, 0.0, 0.0, 1.0, -cx, -cy]))
            }
            "matrix" if v.len() == 6 => Affine([v[0], v[1], v[2], v[3], v[4], v[5]]),
            _ => Affine::ID,
        };
        m = m.then(t);
    }
    m
}

/// The element's transform to the root's user space.
fn ctm(n: &roxmltree::Node) -> Affine {
    let mut m = Affine::ID;
    for a in n.ancestors().filter(|a| a.is_element()) {
        if let Some(t) = a.attribute("transform") {
            m = parse_transform(t).then(m);
        }
    }
    m
}

fn transformed(n: &roxmltree::Node, pts: Vec<Pt>) -> Vec<Pt> {
    let m = ctm(n);
    pts.into_iter().map(|p| m.apply(p)).collect()
}

fn transform_rect(n: &roxmltree::Node, r: Rect) -> Rect {
    bounds(&transformed(n, vec![(r.x, r.y), (r.x + r.w, r.y + r.h), (r.x + r.w, r.y), (r.x, r.y + r.h)]))
}

/// The bounding box of a rect, polygon, ellipse, circle or path.
fn shape_box(n: &roxmltree::Node) -> Option<Rect> {
    let f = |k: &str| attr_num(n, k);
    let pts: Vec<Pt> = match n.tag_name().name() {
        "rect" => {
            let (x, y, w, h) = (f("x").unwrap_or(0.0), f("y").unwrap_or(0.0), f("width")?, f("height")?);
            vec![(x, y), (x + w, y + h), (x + w, y), (x, y + h)]
        }
        "polygon" | "polyline" => numbers(n.attribute("points")?).chunks_exact(2).map(|c| (c[0], c[1])).collect(),
        "ellipse" | "circle" => {
            let (cx, cy) = (f("cx").unwrap_or(0.0), f("cy").unwrap_or(0.0));
            let (rx, ry) = match f("r") {
                Some(r) => (r, r),
                None => (f("rx")?, f("ry")?),
            };
            vec![(cx - rx, cy - ry), (cx + rx, cy + ry)]
        }
        "path" => path_points(n.attribute("d")?),
        _ => return None,
    };
    (!pts.is_empty()).then(|| bounds(&transformed(n, pts)))
}

fn bounds(pts: &[Pt]) -> Rect {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for &(x, y) in pts {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    Rect { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
}

fn shrink(r: &Rect, by: f64) -> Rect {
    Rect { x: r.x + by, y: r.y + by, w: (r.w - 2.0 * by).max(0.0), h: (r.h - 2.0 * by).max(0.0) }
}

/// Boxes overlap or lie within `gap` of each other (edges included).
fn touches(a: &Rect, b: &Rect, gap: f64) -> bool {
    a.x <= b.x + b.w + gap && b.x <= a.x + a.w + gap && a.y <= b.y + b.h + gap && b.y <= a.y + a.h + gap
}

/// Distance from a point to a box (0 inside).
fn distance(r: &Rect, p: Pt) -> f64 {
    let dx = (r.x - p.0).max(p.0 - (r.x + r.w)).max(0.0);
    let dy = (r.y - p.1).max(p.1 - (r.y + r.h)).max(0.0);
    dx.hypot(dy)
}

/// How far an edge's end may stop short of its node and still be its end:
/// dot's arrowheads leave ~10 pt between a curve and the box it enters.
const END_REACH: f64 = 16.0;

fn nearest_node(nodes: &[DrawnNode], p: Pt) -> Option<usize> {
    nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (distance(&n.rect, p), i))
        .filter(|(d, _)| *d <= END_REACH)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, i)| i)
}

/// Where two polylines cross (proper crossings of their segments; collinear
/// overlaps and shared vertices do not count).
fn crossing_points(a: &[Pt], b: &[Pt]) -> Vec<Pt> {
    let mut out = Vec::new();
    for sa in a.windows(2) {
        let ba = bounds(sa);
        for sb in b.windows(2) {
            if !touches(&ba, &bounds(sb), 0.0) {
                continue;
            }
            if let Some(p) = segment_cross(sa[0], sa[1], sb[0], sb[1]) {
                out.push(p);
            }
        }
    }
    out
}

fn segment_cross(p1: Pt, p2: Pt, p3: Pt, p4: Pt) -> Option<Pt> {
    let d = (p2.0 - p1.0) * (p4.1 - p3.1) - (p2.1 - p1.1) * (p4.0 - p3.0);
    if d.abs() < 1e-12 {
        return None;
    }
    let t = ((p3.0 - p1.0) * (p4.1 - p3.1) - (p3.1 - p1.1) * (p4.0 - p3.0)) / d;
    let u = ((p3.0 - p1.0) * (p2.1 - p1.1) - (p3.1 - p1.1) * (p2.0 - p1.0)) / d;
    let e = 1e-9;
    ((-e..=1.0 + e).contains(&t) && (-e..=1.0 + e).contains(&u))
        .then_some((p1.0 + t * (p2.0 - p1.0), p1.1 + t * (p2.1 - p1.1)))
}

/// Whether a polyline passes through the inside of a box (Liang–Barsky clipping per segment).
fn polyline_enters(pts: &[Pt], r: &Rect) -> bool {
    if r.w <= 0.0 || r.h <= 0.0 {
        return false;
    }
    pts.windows(2).any(|s| segment_enters(s[0], s[1], r))
}

fn segment_enters(a: Pt, b: Pt, r: &Rect) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0 - r.x), (dx, r.x + r.w - a.0), (-dy, a.1 - r.y), (dy, r.y + r.h - a.1)] {
        if p == 0.0 {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t1 - t0 > 1e-9
}

/// Removes `@media ... { ... }` blocks (their rules are read by [`media_blocks`]).
fn strip_media(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(i) = rest.find("@media") {
        out.push_str(&rest[..i]);
        let (_, body_end) = block_after(&rest[i..]);
        rest = &rest[i + body_end..];
    }
    out.push_str(rest);
    out
}

/// `(query, body)` of each `@media` block.
fn media_blocks(css: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("@media") {
        let (open, end) = block_after(&rest[i..]);
        let block = &rest[i..i + end];
        out.push((
            block[6..open].to_string(),
            block[(open + 1).min(block.len())..block.len().saturating_sub(1)].to_string(),
        ));
        rest = &rest[i + end..];
    }
    out
}

/// The byte offset of the first `{` and just past its matching `}`.
fn block_after(s: &str) -> (usize, usize) {
    let open = s.find('{').unwrap_or(s.len());
    let mut depth = 0;
    for (i, c) in s[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return (open, open + i + 1);
                }
            }
            _ => {}
        }
    }
    (open, s.len())
}

/// The declarations of the first rule whose selector is exactly `sel`.
fn rule(css: &str, sel: &str) -> Option<String> {
    for chunk in css.split('}') {
        let Some((s, body)) = chunk.split_once('{') else { continue };
        // Comments before a selector are not part of it.
        let s = s.rsplit("*/").next().unwrap_or(s);
        if s.split(',').any(|s| s.trim() == sel) {
            return Some(body.to_string());
        }
    }
    None
}

/// The horizontal padding of a `padding:` declaration (CSS shorthand order).
fn padding_x(body: &str) -> Option<f64> {
    let v = body.split(';').find_map(|d| d.trim().strip_prefix("padding:"))?;
    let parts: Vec<f64> = v.split_whitespace().filter_map(length).collect();
    match parts.as_slice() {
        [all] => Some(*all),
        [_, x, ..] => Some(*x),
        _ => None,
    }
}

fn first_px(s: &str) -> Option<f64> {
    s.split(|c: char| !(c.is_ascii_digit() || c == '.' || c.is_ascii_alphabetic()))
        .find_map(|w| w.strip_suffix("px").and_then(|n| n.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(body: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300"><style>.sp-label{{font:12px sans-serif;text-anchor:middle}}.big{{font:600 20px sans-serif}}</style>{body}</svg>"#
        )
    }

    fn node(x: f64, y: f64) -> String {
        format!(
            r#"<a class="sp-node" href="x"><title>n{x}-{y}</title><rect class="sp-box" x="{x}" y="{y}" width="40" height="20"/></a>"#
        )
    }

    fn q(body: &str) -> Quality {
        measure_svg(&svg(body)).unwrap()
    }

    #[test]
    fn two_crossing_lines_are_one_crossing() {
        let m = q(r#"<path class="sp-edge" d="M0 0L100 100"/><path class="sp-edge" d="M0 100L100 0"/>"#);
        assert_eq!((m.edges, m.crossings), (2, 1));
        // Parallel lines, and lines that only meet further on, do not cross.
        let m = q(
            r#"<path class="sp-edge" d="M0 0L100 0"/><path class="sp-edge" d="M0 10L100 10"/><path class="sp-edge" d="M200 0L200 50"/>"#,
        );
        assert_eq!(m.crossings, 0);
    }

    #[test]
    fn a_crossing_pair_counts_once_however_often_it_crosses() {
        let m = q(r#"<path class="sp-edge" d="M0 50L300 50"/><path class="sp-edge" d="M10 0L20 100L30 0L40 100"/>"#);
        assert_eq!(m.crossings, 1);
    }

    #[test]
    fn curves_are_sampled() {
        // An S-curve from (0,0) to (100,100) crosses the vertical at x=50; a
        // quadratic arch over y=50 stays above a line at y=60, and in relative
        // coordinates too.
        let m = q(r#"<path class="sp-edge" d="M0 0C0 50 100 50 100 100"/><path class="sp-edge" d="M50 -10L50 110"/>"#);
        assert_eq!(m.crossings, 1);
        let m = q(r#"<path class="sp-edge" d="M0 50q50-60 100 0"/><path class="sp-edge" d="M0 60H100"/>"#);
        assert_eq!(m.crossings, 0);
        let m = q(r#"<path class="sp-edge" d="M0 50q50 60 100 0"/><path class="sp-edge" d="M0 60h100"/>"#);
        assert_eq!(m.crossings, 1);
    }

    #[test]
    fn a_line_through_a_box_is_one_intrusion() {
        let body = format!(
            r#"{}{}{}<path class="sp-edge" d="M120 40L120 200"/>"#,
            node(100.0, 20.0),  // start: the line leaves its bottom side
            node(100.0, 100.0), // in between: crossed
            node(100.0, 200.0)  // end: the line stops on its top side
        );
        let m = q(&body);
        assert_eq!((m.nodes, m.intrusions, m.intrusion_pairs), (3, 1, 1));
        // The ends are the nearest boxes, so the two nodes the edge connects are not intruded.
        let d = parse(&svg(&body)).unwrap();
        assert_eq!((d.edges[0].from, d.edges[0].to), (Some(0), Some(2)));
        // A line passing beside a box does not enter it.
        let m = q(&format!(r#"{}<path class="sp-edge" d="M150 0L150 300"/>"#, node(100.0, 100.0)));
        assert_eq!(m.intrusions, 0);
    }

    #[test]
    fn edges_meeting_at_a_shared_node_do_not_cross() {
        // Two edges from one node, both leaving from the same point of its top side.
        let body = format!(
            r#"{}{}{}<path class="sp-edge" d="M120 200L20 60"/><path class="sp-edge" d="M120 200L220 60"/>"#,
            node(100.0, 200.0),
            node(0.0, 40.0),
            node(200.0, 40.0)
        );
        assert_eq!(q(&body).crossings, 0);
        // Lines that touch at their ends, or where one ends on the other, do not cross.
        let m = q(r#"<path class="sp-edge" d="M0 0L50 50"/><path class="sp-edge" d="M50 50L100 0"/>"#);
        assert_eq!(m.crossings, 0);
        let m = q(r#"<path class="sp-edge" d="M0 0L100 0"/><path class="sp-edge" d="M50 0L50 100"/>"#);
        assert_eq!(m.crossings, 0);
    }

    #[test]
    fn labels_and_overlaps() {
        // A band name starting at x=100: 12 characters of 20px bold text, 148.8 wide.
        let body = r#"<text class="big" x="100" y="100">Band name ab</text><path class="sp-edge" d="M150 0L150 300"/><path class="sp-edge" d="M50 0L50 300"/>"#;
        let m = q(body);
        assert_eq!(m.edges_through_labels, 1);
        assert_eq!(m.min_font, 20.0);
        // A node label inside its node is no overlap; two nodes on each other are one.
        let body = format!(
            r#"<a class="sp-node"><rect class="sp-box" x="0" y="0" width="100" height="40"/><text class="sp-label"><tspan x="50" y="24">Agent</tspan></text></a>{}"#,
            node(60.0, 10.0)
        );
        let d = parse(&svg(&body)).unwrap();
        assert_eq!(d.texts.len(), 1);
        assert_eq!(d.texts[0].node, Some(0));
        assert_eq!(d.nodes[0].lines, vec!["Agent"]);
        let m = measure(&d);
        // The two boxes overlap (1) and the label "Agent" (x 32.75..67.25) reaches into the other box (1).
        assert_eq!(m.overlaps, 2);
        assert_eq!(m.min_font, 12.0);
    }

    #[test]
    fn reads_dot_output() {
        // What `dot -Tsvg` writes: points, a transform, titled groups, polygons and ellipses.
        let dot = r#"<svg width="200pt" height="100pt" viewBox="0.00 0.00 200.00 100.00" xmlns="http://www.w3.org/2000/svg">
<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 96)">
<polygon fill="white" stroke="transparent" points="-4,4 -4,-96 196,-96 196,4 -4,4"/>
<g id="node1" class="node"><title>a</title><polygon fill="none" stroke="black" points="54,-92 0,-92 0,-56 54,-56 54,-92"/>
<text text-anchor="middle" x="27" y="-70.3" font-family="sans-Serif" font-size="9.00">A</text></g>
<g id="node2" class="node"><title>b</title><ellipse fill="none" stroke="black" cx="27" cy="-18" rx="27" ry="18"/></g>
<g id="node3" class="node"><title>c</title><polygon fill="none" stroke="black" points="154,-92 100,-92 100,-56 154,-56 154,-92"/></g>
<g id="edge1" class="edge"><title>a&#45;&gt;b</title><path fill="none" stroke="black" d="M27,-55.7C27,-47.98 27,-38.71 27,-30.11"/><polygon points="30.5,-30.1 27,-20.1 23.5,-30.1 30.5,-30.1"/></g>
<g id="edge2" class="edge"><title>c&#45;&gt;b</title><path fill="none" stroke="black" d="M127,-55.7C100,-40 60,-25 50,-20"/></g>
<g id="edge3" class="edge"><title>a&#45;&gt;c</title><path fill="none" stroke="black" d="M0,-50C50,-30 120,-30 150,-50"/></g>
</g></svg>"#;
        let d = parse(dot).unwrap();
        assert_eq!(d.nodes.len(), 3);
        assert_eq!(d.nodes[0].rect, Rect { x: 4.0, y: 4.0, w: 54.0, h: 36.0 });
        assert_eq!(d.nodes[1].rect, Rect { x: 4.0, y: 60.0, w: 54.0, h: 36.0 });
        assert_eq!((d.edges[0].from, d.edges[0].to), (Some(0), Some(1)));
        assert_eq!((d.edges[1].from, d.edges[1].to), (Some(2), Some(1)));
        assert!((d.css_width - 200.0 * 4.0 / 3.0).abs() < 1e-9);
        let m = measure(&d);
        assert_eq!(m.min_font, 9.0);
        // a->c dips under a->b's end and crosses it; c->b ends at b, which a->b also enters: not a crossing there,
        // but c->b crosses a->c.
        assert_eq!(m.crossings, 2);
        assert_eq!(m.intrusions, 0);
        let s = on_screen(&m, &Column::HORIZON, 1280.0);
        assert!((s.font_px - 12.0).abs() < 1e-9, "9pt is 12px at full size: {s:?}");
    }

    #[test]
    fn numbers_follow_svg_syntax() {
        assert_eq!(numbers("1-2.5.5e1,3"), vec![1.0, -2.5, 5.0, 3.0]);
        assert_eq!(path_points("M1 2l3 4h1v-1z").last(), Some(&(1.0, 2.0)));
        assert_eq!(path_points("M1 2l3 4h1v-1")[3], (5.0, 5.0));
    }

    #[test]
    fn screen_width_follows_the_theme() {
        let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/horizon/static/css/style.css"))
            .unwrap();
        let c = Column::from_css(&css);
        assert_eq!(c, Column::HORIZON);
        assert_eq!(c.width_at(1280.0), 1118.0);
        assert_eq!(c.width_at(375.0), 341.0);
        // A 1340-wide map with min-width 1072 and 12px text: shrunk to the column at 1280, at full size
        // (and scrolling) at 375; with a min-width wider than the column it scrolls at 1280 too.
        let q = Quality {
            nodes: 0,
            edges: 0,
            crossings: 0,
            intrusions: 0,
            intrusion_pairs: 0,
            edges_through_labels: 0,
            overlaps: 0,
            width: 1340.0,
            height: 800.0,
            css_width: 1340.0,
            min_width: 1072.0,
            min_font: 12.0,
        };
        let wide = on_screen(&q, &c, 1280.0);
        assert_eq!((wide.rendered, wide.fits), (1118.0, true));
        let q2 = Quality { min_width: 1200.0, ..q.clone() };
        let wide = on_screen(&q2, &c, 1280.0);
        assert!(!wide.fits && (wide.font_px - 12.0 * 1200.0 / 1340.0).abs() < 1e-9);
        let phone = on_screen(&q, &c, 375.0);
        assert_eq!((phone.rendered, phone.font_px, phone.fits), (1340.0, 12.0, false));
    }
}
