//! Places nodes and edges. Deterministic: the same input gives the same
//! coordinates, whatever the order of journeys.
//!
//! Readability rules: node labels are wrapped to the node's width (at most
//! three lines, then an ellipsis), nodes never share a cell (roles at the same
//! track and level sit side by side in sub-columns), entry points (jobs outside
//! the ladder) sit in a row below level 1 and are pushed right so they never
//! overlap; only the most common entry points get their own node.

use super::MapInput;
use crate::load::story::Place;
use crate::text::slugify;
use std::collections::BTreeMap;

pub const NODE_W: f64 = 156.0;
pub const NODE_H: f64 = 58.0;
pub const ENTRY_W: f64 = 136.0;
pub const ENTRY_H: f64 = 46.0;
const COL_GAP: f64 = 16.0;
const BAND_PAD: f64 = 10.0;
const ROW_H: f64 = 112.0;
const HEADER_H: f64 = 64.0;
const ENTRY_GAP: f64 = 14.0;
/// Average advance of a sans-serif character, as a fraction of the font
/// size (bold is wider); labels are wrapped with these so they fit.
pub const CHAR_EM: f64 = 0.575;
pub const BOLD_CHAR_EM: f64 = 0.62;
/// Font sizes of node labels and track names.
pub const LABEL_PX: f64 = 12.0;
pub const BAND_PX: f64 = 13.0;
const LINE_H: f64 = 15.0;
/// At most this many outside entry points get a node of their own; the rest
/// share one, so the map grows with the ladder, not with the number of people.
pub const MAX_ENTRIES: usize = 10;
pub const OTHER_ENTRY: &str = "Other jobs outside";

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKey {
    Role(String),
    /// An outside entry point, by the slug of its text.
    Entry(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// One line of text, placed by its baseline; `middle` centres it on `x`.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub px: f64,
    pub bold: bool,
    pub middle: bool,
}

impl TextLine {
    /// The box the text is expected to cover (estimated advance widths).
    pub fn bbox(&self) -> Rect {
        let em = if self.bold { BOLD_CHAR_EM } else { CHAR_EM };
        let w = self.text.chars().count() as f64 * self.px * em;
        let x = if self.middle { self.x - w / 2.0 } else { self.x };
        Rect { x, y: self.y - 0.8 * self.px, w, h: 1.05 * self.px }
    }
}

/// Lines of `text` wrapped to `width`, centred on `cx`, the first baseline at `y0`.
fn text_block(text: &str, width: f64, max_lines: usize, cx: f64, y0: f64, px: f64, bold: bool) -> Vec<TextLine> {
    let em = if bold { BOLD_CHAR_EM } else { CHAR_EM };
    let chars = ((width - 16.0) / (px * em)).floor().max(4.0) as usize;
    wrap(text, chars, max_lines)
        .into_iter()
        .enumerate()
        .map(|(i, t)| TextLine { text: t, x: cx, y: y0 + i as f64 * LINE_H, px, bold, middle: true })
        .collect()
}

/// A label centred in a box: its lines' baselines, vertically centred.
fn centred_label(text: &str, r: &Rect, max_lines: usize) -> Vec<TextLine> {
    let n = wrap(text, ((r.w - 16.0) / (LABEL_PX * CHAR_EM)).floor().max(4.0) as usize, max_lines).len() as f64;
    let y0 = r.y + r.h / 2.0 - (n - 1.0) * LINE_H / 2.0 + 4.0;
    text_block(text, r.w, max_lines, r.cx() + 2.0, y0, LABEL_PX, false)
}

#[derive(Debug, Clone)]
pub struct Node {
    pub key: NodeKey,
    pub rect: Rect,
    pub lines: Vec<TextLine>,
    /// Full label (for titles and text alternatives).
    pub label: String,
    /// Track colour (entries: none).
    pub color: Option<String>,
    pub href: Option<String>,
    pub track_name: Option<String>,
    pub level: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Edge {
    pub from: NodeKey,
    pub to: NodeKey,
    /// People who made this move.
    pub count: usize,
    /// Listed in the ladder's `next`.
    pub supported: bool,
    /// Anchor points on the two nodes.
    pub start: (f64, f64),
    pub end: (f64, f64),
    /// Stroke colour (the source track's colour, grey from entries).
    pub color: String,
}

#[derive(Debug, Clone)]
pub struct Band {
    pub name: String,
    pub name_lines: Vec<TextLine>,
    pub color: String,
    pub x: f64,
    pub w: f64,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub bands: Vec<Band>,
    /// "Level N" at the left of each row.
    pub level_labels: Vec<TextLine>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Entry-point slug of each outside text met in the journeys.
    pub entry_of: BTreeMap<String, String>,
    pub max_count: usize,
}

impl Layout {
    /// Nodes are sorted by key, so this is a binary search.
    pub fn node(&self, key: &NodeKey) -> Option<&Node> {
        self.nodes.binary_search_by(|n| n.key.cmp(key)).ok().map(|i| &self.nodes[i])
    }

    /// The edge of a move; edges are sorted by (from, to).
    pub fn edge(&self, from: &NodeKey, to: &NodeKey) -> Option<&Edge> {
        self.edges.binary_search_by(|e| (&e.from, &e.to).cmp(&(from, to))).ok().map(|i| &self.edges[i])
    }

    /// The node a journey's place is drawn at.
    pub fn key_of(&self, place: &Place) -> NodeKey {
        match place {
            Place::Role(id) => NodeKey::Role(id.clone()),
            Place::Outside(text) => {
                NodeKey::Entry(self.entry_of.get(text).cloned().unwrap_or_else(|| slugify(OTHER_ENTRY)))
            }
        }
    }
}

/// Wraps `text` into lines of at most `max` characters, at most `lines` lines.
pub fn wrap(text: &str, max: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let word: String = if word.chars().count() > max {
            word.chars().take(max - 1).chain(['…']).collect()
        } else {
            word.to_string()
        };
        if cur.is_empty() {
            cur = word;
        } else if cur.chars().count() + 1 + word.chars().count() <= max {
            cur.push(' ');
            cur.push_str(&word);
        } else {
            out.push(std::mem::replace(&mut cur, word));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    if out.len() > lines {
        out.truncate(lines);
        let last = out.last_mut().expect("lines > 0");
        while last.chars().count() + 1 > max {
            last.pop();
        }
        last.push('…');
    }
    out
}

pub fn layout(input: &MapInput) -> Layout {
    let max_level = input.roles.iter().map(|r| r.level).max().unwrap_or(1);
    let row_y = |level: u32| HEADER_H + (max_level - level) as f64 * ROW_H + ROW_H / 2.0;

    // Bands: one per track, as wide as its busiest level.
    // The left gutter holds "Level N" labels: as wide as the widest one.
    let gutter = 10.0 + format!("Level {max_level}").len() as f64 * LABEL_PX * CHAR_EM + 8.0;
    let mut bands = Vec::new();
    let mut x = gutter;
    let mut cells: BTreeMap<(&str, u32), Vec<&super::MapRole>> = BTreeMap::new();
    for r in &input.roles {
        cells.entry((r.track.as_str(), r.level)).or_default().push(r);
    }
    let mut band_x: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for t in &input.tracks {
        let slots = cells.iter().filter(|((tr, _), _)| *tr == t.id).map(|(_, v)| v.len()).max().unwrap_or(1);
        let w = slots as f64 * NODE_W + (slots as f64 - 1.0) * COL_GAP + 2.0 * BAND_PAD;
        band_x.insert(&t.id, (x, w));
        bands.push(Band {
            name: t.name.clone(),
            name_lines: text_block(&t.name, w, 2, x + w / 2.0, 32.0, BAND_PX, true),
            color: t.color.clone(),
            x,
            w,
        });
        x += w + COL_GAP / 2.0;
    }
    let mut width = x + BAND_PAD;

    // Role nodes, centred in their band's cell.
    let mut nodes = Vec::new();
    for ((track, level), roles) in &cells {
        let Some(&(bx, bw)) = band_x.get(track) else {
            continue;
        };
        let t = input.tracks.iter().find(|t| t.id == *track);
        let n = roles.len() as f64;
        let used = n * NODE_W + (n - 1.0) * COL_GAP;
        for (i, r) in roles.iter().enumerate() {
            let rect = Rect {
                x: bx + (bw - used) / 2.0 + i as f64 * (NODE_W + COL_GAP),
                y: row_y(*level) - NODE_H / 2.0,
                w: NODE_W,
                h: NODE_H,
            };
            nodes.push(Node {
                key: NodeKey::Role(r.id.clone()),
                rect,
                lines: centred_label(&r.title, &rect, 3),
                label: r.title.clone(),
                color: t.map(|t| t.color.clone()),
                href: Some(r.href.clone()),
                track_name: t.map(|t| t.name.clone()),
                level: Some(*level),
            });
        }
    }
    let role_cx: BTreeMap<&str, f64> = input
        .roles
        .iter()
        .filter_map(|r| {
            nodes.iter().find(|n| n.key == NodeKey::Role(r.id.clone())).map(|n| (r.id.as_str(), n.rect.cx()))
        })
        .collect();

    let (entry_nodes, entry_of) =
        place_entries(input, &role_cx, gutter, x - COL_GAP / 2.0, HEADER_H + max_level as f64 * ROW_H + 24.0);
    let right = entry_nodes.iter().map(|n| n.rect.x + n.rect.w).fold(0.0, f64::max);
    let entry_y = entry_nodes.first().map(|n| n.rect.y);
    nodes.extend(entry_nodes);
    width = width.max(right + BAND_PAD);
    let height = match entry_y {
        Some(y) => y + ENTRY_H + 24.0,
        None => HEADER_H + max_level as f64 * ROW_H + 16.0,
    };
    nodes.sort_by(|a, b| a.key.cmp(&b.key));

    let tmp =
        Layout { width, height, bands, level_labels: Vec::new(), nodes, edges: Vec::new(), entry_of, max_count: 0 };
    let edges = place_edges(&tmp, input);
    let max_count = edges.iter().map(|e| e.count).max().unwrap_or(0);
    let level_labels = (1..=max_level)
        .map(|l| TextLine {
            text: format!("Level {l}"),
            x: 10.0,
            y: row_y(l) + 4.0,
            px: LABEL_PX,
            bold: false,
            middle: false,
        })
        .collect();
    Layout { edges, level_labels, max_count, ..tmp }
}

/// How often one outside entry point is used, and where its journeys go next.
struct EntryTally {
    text: String,
    count: usize,
    /// Sum and number of the x centres of the roles entered from here.
    sum_x: f64,
    n_x: f64,
}

/// The entry-point row: outside jobs met in journeys, the `MAX_ENTRIES` most
/// common with a node each (the rest share one), each placed under the roles
/// people entered from it and pushed right so none overlap. Returns the nodes
/// and the node key of every outside text.
fn place_entries(
    input: &MapInput,
    role_cx: &BTreeMap<&str, f64>,
    gutter: f64,
    max_right: f64,
    y: f64,
) -> (Vec<Node>, BTreeMap<String, String>) {
    let mut tallies: BTreeMap<String, EntryTally> = BTreeMap::new();
    for j in &input.journeys {
        for (i, p) in j.iter().enumerate() {
            let Place::Outside(text) = p else { continue };
            let t = tallies.entry(slugify(text)).or_insert_with(|| EntryTally {
                text: text.clone(),
                count: 0,
                sum_x: 0.0,
                n_x: 0.0,
            });
            t.count += 1;
            if let Some(cx) = j.get(i + 1).and_then(|n| match n {
                Place::Role(id) => role_cx.get(id.as_str()),
                Place::Outside(_) => None,
            }) {
                t.sum_x += cx;
                t.n_x += 1.0;
            }
        }
    }
    let mut ranked: Vec<(String, EntryTally)> = tallies.into_iter().collect();
    ranked.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(&b.0)));
    // One shared node for a single leftover would hide a name for nothing.
    let keep = if ranked.len() == MAX_ENTRIES + 1 { ranked.len() } else { MAX_ENTRIES };
    let other = slugify(OTHER_ENTRY);
    let mut by_slug: BTreeMap<String, String> = BTreeMap::new(); // entry slug -> node key
    let mut kept: BTreeMap<String, EntryTally> = BTreeMap::new();
    for (rank, (slug, t)) in ranked.into_iter().enumerate() {
        let (key, text) =
            if rank < keep { (slug.clone(), t.text.clone()) } else { (other.clone(), OTHER_ENTRY.to_string()) };
        by_slug.insert(slug, key.clone());
        let k = kept.entry(key).or_insert_with(|| EntryTally { text, count: 0, sum_x: 0.0, n_x: 0.0 });
        k.count += t.count;
        k.sum_x += t.sum_x;
        k.n_x += t.n_x;
    }
    let mut entry_of = BTreeMap::new();
    for p in input.journeys.iter().flatten() {
        if let Place::Outside(text) = p {
            let key = by_slug.get(&slugify(text)).cloned().unwrap_or_else(|| other.clone());
            entry_of.insert(text.clone(), key);
        }
    }
    let mut order: Vec<(f64, String, EntryTally)> =
        kept.into_iter().map(|(key, t)| (if t.n_x > 0.0 { t.sum_x / t.n_x } else { gutter }, key, t)).collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.2.text.cmp(&b.2.text)));
    // Left to right, each at its preferred place or just right of the previous;
    // then right to left, pulling back inside the bands (`max_right`) what ran
    // past them, never left of the gutter.
    let mut xs: Vec<f64> = Vec::with_capacity(order.len());
    for (preferred, _, _) in &order {
        let min = xs.last().map_or(gutter, |prev| prev + ENTRY_W + ENTRY_GAP);
        xs.push((preferred - ENTRY_W / 2.0).max(min));
    }
    let mut limit = max_right;
    for x in xs.iter_mut().rev() {
        *x = x.min(limit - ENTRY_W).max(gutter);
        limit = *x - ENTRY_GAP;
    }
    // Pulling back may have stopped at the gutter: push right again so no two overlap.
    for i in 1..xs.len() {
        xs[i] = xs[i].max(xs[i - 1] + ENTRY_W + ENTRY_GAP);
    }
    let mut nodes = Vec::new();
    for ((_, key, t), x) in order.into_iter().zip(xs) {
        nodes.push(Node {
            key: NodeKey::Entry(key),
            rect: Rect { x, y, w: ENTRY_W, h: ENTRY_H },
            lines: centred_label(&t.text, &Rect { x, y, w: ENTRY_W, h: ENTRY_H }, 2),
            label: t.text,
            color: None,
            href: None,
            track_name: None,
            level: None,
        });
    }
    (nodes, entry_of)
}

/// Where an edge ends on a node: (node, side) -> (other end's order, edge, is start).
type EdgeEnds = BTreeMap<(NodeKey, u8), Vec<(i64, usize, bool)>>;

/// Counts the moves of all journeys and the ladder's supported moves, then
/// spreads each node's edge ends along its side so they do not all meet at
/// one point.
fn place_edges(l: &Layout, input: &MapInput) -> Vec<Edge> {
    let mut counts: BTreeMap<(NodeKey, NodeKey), (usize, bool)> = BTreeMap::new();
    let roles: BTreeMap<&str, &super::MapRole> = input.roles.iter().map(|r| (r.id.as_str(), r)).collect();
    for r in &input.roles {
        for n in &r.next {
            if roles.contains_key(n.as_str()) && *n != r.id {
                counts.entry((NodeKey::Role(r.id.clone()), NodeKey::Role(n.clone()))).or_default().1 = true;
            }
        }
    }
    for j in &input.journeys {
        for w in j.windows(2) {
            let (a, b) = (l.key_of(&w[0]), l.key_of(&w[1]));
            if a != b && l.node(&a).is_some() && l.node(&b).is_some() {
                counts.entry((a, b)).or_default().0 += 1;
            }
        }
    }
    let rect = |k: &NodeKey| l.node(k).map(|n| n.rect);
    // Side of a node an edge leaves or enters: 0 top, 1 bottom, 2 left, 3 right.
    let sides = |a: &Rect, b: &Rect| -> (u8, u8) {
        if (a.y - b.y).abs() < 1.0 {
            if a.cx() < b.cx() {
                (3, 2)
            } else {
                (2, 3)
            }
        } else if b.y < a.y {
            (0, 1)
        } else {
            (1, 0)
        }
    };
    // Group edge ends by (node, side), ordered by the other end's position.
    let mut ends: EdgeEnds = BTreeMap::new();
    let list: Vec<((NodeKey, NodeKey), (usize, bool))> = counts.into_iter().collect();
    for (i, ((a, b), _)) in list.iter().enumerate() {
        let (Some(ra), Some(rb)) = (rect(a), rect(b)) else {
            continue;
        };
        let (sa, sb) = sides(&ra, &rb);
        let order = |r: &Rect, s: u8| {
            if s >= 2 {
                (r.y * 10.0) as i64
            } else {
                (r.cx() * 10.0) as i64
            }
        };
        ends.entry((a.clone(), sa)).or_default().push((order(&rb, sa), i, true));
        ends.entry((b.clone(), sb)).or_default().push((order(&ra, sb), i, false));
    }
    let mut points: BTreeMap<(usize, bool), (f64, f64)> = BTreeMap::new();
    for ((key, side), mut list_) in ends {
        let Some(r) = rect(&key) else { continue };
        list_.sort();
        let n = list_.len() as f64;
        for (k, (_, edge, is_start)) in list_.into_iter().enumerate() {
            let f = (k as f64 + 1.0) / (n + 1.0);
            let p = match side {
                0 => (r.x + r.w * (0.15 + 0.7 * f), r.y),
                1 => (r.x + r.w * (0.15 + 0.7 * f), r.y + r.h),
                2 => (r.x, r.y + r.h * (0.2 + 0.6 * f)),
                _ => (r.x + r.w, r.y + r.h * (0.2 + 0.6 * f)),
            };
            points.insert((edge, is_start), p);
        }
    }
    list.into_iter()
        .enumerate()
        .filter_map(|(i, ((from, to), (count, supported)))| {
            let color = l.node(&from).and_then(|n| n.color.clone()).unwrap_or_else(|| "#6b7280".into());
            Some(Edge {
                start: *points.get(&(i, true))?,
                end: *points.get(&(i, false))?,
                from,
                to,
                count,
                supported,
                color,
            })
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::{MapRole, MapTrack};
    use super::*;

    /// A ladder of 24 roles over 6 tracks with long titles and crowded cells.
    pub fn big_input() -> MapInput {
        let mut input = MapInput::default();
        for t in 0..6 {
            input.tracks.push(MapTrack {
                id: format!("t{t}"),
                name: format!("Track number {t} with a long name"),
                color: "#1d4ed8".into(),
            });
            for k in 0..4 {
                let level = [1, 2, 2, 4][k];
                input.roles.push(MapRole {
                    id: format!("r{t}{k}"),
                    title: format!("Senior Workforce Planning and Quality Assurance Specialist {t}{k}"),
                    track: format!("t{t}"),
                    level,
                    href: format!("/roles/r{t}{k}/"),
                    next: vec![format!("r{t}{}", (k + 1) % 4)],
                });
            }
        }
        for i in 0..40 {
            input.journeys.push(vec![
                Place::Outside(format!("Outside job {}", i % 14)),
                Place::Role(format!("r{}0", i % 6)),
                Place::Role(format!("r{}1", (i + 1) % 6)),
            ]);
        }
        input
    }

    /// A ladder of `roles` roles over `tracks` tracks, crowded at some levels,
    /// with long titles and track names.
    fn ladder(tracks: usize, roles: usize) -> MapInput {
        let mut input = MapInput::default();
        for t in 0..tracks {
            let name = format!("Workforce planning and quality assurance track {t}");
            input.tracks.push(MapTrack { id: format!("t{t}"), name, color: "#1d4ed8".into() });
        }
        for k in 0..roles {
            let level = [1, 1, 2, 2, 2, 3, 4, 5][k % 8];
            input.roles.push(MapRole {
                id: format!("r{k}"),
                title: format!("Senior Contact Center Workforce Planning Specialist Number {k}"),
                track: format!("t{}", k % tracks),
                level,
                href: format!("/roles/r{k}/"),
                next: vec![format!("r{}", (k + 1) % roles)],
            });
        }
        for i in 0..60 {
            input.journeys.push(vec![
                Place::Outside(format!("A rather long outside job title number {}", i % 13)),
                Place::Role(format!("r{}", i % roles)),
                Place::Role(format!("r{}", (i * 7) % roles)),
            ]);
        }
        input
    }

    #[test]
    fn no_label_overlaps_another_or_leaves_its_box() {
        for (tracks, roles) in [(4, 15), (5, 24), (6, 30), (4, 30), (6, 15)] {
            let l = layout(&ladder(tracks, roles));
            let inside = |outer: &Rect, inner: &Rect| {
                inner.x >= outer.x
                    && inner.y >= outer.y
                    && inner.x + inner.w <= outer.x + outer.w
                    && inner.y + inner.h <= outer.y + outer.h
            };
            let mut texts: Vec<(String, Rect)> = Vec::new();
            for (i, a) in l.nodes.iter().enumerate() {
                for b in &l.nodes[i + 1..] {
                    assert!(!a.rect.overlaps(&b.rect), "{tracks}x{roles}: {:?} overlaps {:?}", a.key, b.key);
                }
                for line in &a.lines {
                    assert!(inside(&a.rect, &line.bbox()), "{tracks}x{roles}: `{}` leaves its node", line.text);
                    texts.push((line.text.clone(), line.bbox()));
                }
            }
            let canvas = Rect { x: 0.0, y: 0.0, w: l.width, h: l.height };
            for b in &l.bands {
                for line in &b.name_lines {
                    let band = Rect { x: b.x, y: 0.0, w: b.w, h: l.height };
                    assert!(
                        inside(&band, &line.bbox()),
                        "{tracks}x{roles}: track name `{}` leaves its band",
                        line.text
                    );
                    texts.push((line.text.clone(), line.bbox()));
                }
            }
            for line in &l.level_labels {
                assert!(l.bands.iter().all(|b| line.bbox().x + line.bbox().w < b.x), "level label under a band");
                texts.push((line.text.clone(), line.bbox()));
            }
            for (i, (ta, a)) in texts.iter().enumerate() {
                assert!(inside(&canvas, a), "{tracks}x{roles}: `{ta}` outside the map");
                for (tb, b) in &texts[i + 1..] {
                    assert!(!a.overlaps(b), "{tracks}x{roles}: `{ta}` overlaps `{tb}`");
                }
            }
        }
    }

    #[test]
    fn entry_points_are_capped_and_counted() {
        let l = layout(&big_input());
        let entries = l.nodes.iter().filter(|n| matches!(n.key, NodeKey::Entry(_))).count();
        assert_eq!(entries, MAX_ENTRIES + 1);
        let total: usize = l.edges.iter().filter(|e| matches!(e.from, NodeKey::Entry(_))).map(|e| e.count).sum();
        assert_eq!(total, 40);
    }

    #[test]
    fn entry_points_wanting_one_place_stay_inside_the_bands() {
        let mut input = big_input();
        // Every outside job leads to the last track's first role.
        for (i, j) in input.journeys.iter_mut().enumerate() {
            j[1] = Place::Role("r50".into());
            j[0] = Place::Outside(format!("Outside job {}", i % 6));
        }
        let l = layout(&input);
        let entries: Vec<&Node> = l.nodes.iter().filter(|n| matches!(n.key, NodeKey::Entry(_))).collect();
        assert_eq!(entries.len(), 6);
        let bands_right = l.bands.last().map(|b| b.x + b.w).unwrap();
        for e in &entries {
            assert!(e.rect.x + e.rect.w <= bands_right + 0.01, "{:?} runs past the bands", e.key);
        }
        assert!(l.width <= bands_right + 20.0, "the map did not grow");
    }

    #[test]
    fn level_one_is_at_the_bottom() {
        let l = layout(&big_input());
        let y = |id: &str| l.node(&NodeKey::Role(id.into())).unwrap().rect.y;
        assert!(y("r00") > y("r01"));
        assert!(y("r01") > y("r03"));
    }

    #[test]
    fn wrap_truncates_with_ellipsis() {
        assert_eq!(wrap("Team Lead", 20, 3), vec!["Team Lead"]);
        let w = wrap("one two three four five six seven eight", 9, 2);
        assert_eq!(w.len(), 2);
        assert!(w[1].ends_with('…'));
    }
}
