//! Lays the map out: which node goes where and how every line runs.
//! Deterministic: the same input gives the same coordinates, whatever the
//! order of journeys.
//!
//! Three steps, each in its own module: the graph (roles, the most common
//! outside entry points, the moves with their people) is built here;
//! [`super::order`] chooses the order of tracks and of roles in each cell;
//! [`super::route`] runs the lines through the grid's gaps and sizes it.
//! Readability rules: nodes never share a cell (roles at the same track and
//! level sit side by side in sub-columns), lines never pass through a node
//! they do not connect, labels wrap to the node width (at most four lines,
//! then an ellipsis), the map is made no wider than a desktop content column
//! while its nodes can shrink to [`route::MIN_NODE_W`], and entry points sit
//! under the columns they lead into, in rows no wider than the ladder.

use super::MapInput;
use super::{order, route};
use crate::load::story::Place;
use crate::text::slugify;
use std::collections::BTreeMap;

/// Average advance of a sans-serif character, as a fraction of the font
/// size (bold is wider); labels are wrapped with these so they fit.
pub const CHAR_EM: f64 = 0.575;
pub const BOLD_CHAR_EM: f64 = 0.62;
/// Font sizes of node labels and track names.
pub const LABEL_PX: f64 = 12.0;
pub const BAND_PX: f64 = 13.0;
pub const LINE_H: f64 = 15.0;
/// At most this many outside entry points get a node of their own (and no
/// more than fit one row under the ladder); the rest share one, so the map
/// grows with the ladder, not with the number of people.
pub const MAX_ENTRIES: usize = 10;
/// The node key of the shared entry point (its label is the words'
/// `map.other_entry`).
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

/// How many characters of a `px` font fit `width` less `pad`.
fn chars_in(width: f64, pad: f64, px: f64, bold: bool) -> usize {
    let em = if bold { BOLD_CHAR_EM } else { CHAR_EM };
    ((width - pad) / (px * em)).floor().max(4.0) as usize
}

/// Lines of `text` wrapped to `width`, centred on `cx`, the first baseline at `y0`.
fn text_block(text: &str, width: f64, max_lines: usize, cx: f64, y0: f64, px: f64, bold: bool) -> Vec<TextLine> {
    wrap(text, chars_in(width, 16.0, px, bold), max_lines)
        .into_iter()
        .enumerate()
        .map(|(i, t)| TextLine { text: t, x: cx, y: y0 + i as f64 * LINE_H, px, bold, middle: true })
        .collect()
}

/// Characters of a 12 px label that fit a node `w` wide (its padding and
/// the colour strip on its left taken off).
fn label_chars(w: f64) -> usize {
    chars_in(w, 14.0, LABEL_PX, false)
}

/// A label centred in a box: its lines' baselines, vertically centred.
fn centred_label(text: &str, r: &Rect, max_lines: usize) -> Vec<TextLine> {
    let lines = wrap(text, label_chars(r.w), max_lines);
    let n = lines.len() as f64;
    let y0 = r.y + r.h / 2.0 - (n - 1.0) * LINE_H / 2.0 + 4.0;
    lines
        .into_iter()
        .enumerate()
        .map(|(i, t)| TextLine {
            text: t,
            x: r.cx() + 2.0,
            y: y0 + i as f64 * LINE_H,
            px: LABEL_PX,
            bold: false,
            middle: true,
        })
        .collect()
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
    /// Open positions of the role (see `MapInput::hiring`).
    pub hiring: Option<super::Hiring>,
}

#[derive(Debug, Clone)]
pub struct Edge {
    pub from: NodeKey,
    pub to: NodeKey,
    /// People who made this move.
    pub count: usize,
    /// Listed in the ladder's `next`.
    pub supported: bool,
    /// Its line, from the start node's side to the end node's: orthogonal
    /// pieces through the grid's gaps (see `route`).
    pub points: Vec<(f64, f64)>,
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
    /// Each level's strip across the bands (top, height), from the middle
    /// of the gap above its rows to the middle of the gap below: every
    /// other one is shaded, so roles stacked in sub-rows read as one level.
    pub level_strips: Vec<(f64, f64)>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Entry-point slug of each outside text met in the journeys.
    pub entry_of: BTreeMap<String, String>,
    pub max_count: usize,
    /// The words of the map's language, for what the drawing writes.
    pub words: std::sync::Arc<crate::i18n::Words>,
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

/// Lays the map out: the graph of roles, entry points and moves is ordered
/// ([`order::choose`]), routed and placed ([`route::draw`]), then labelled.
pub fn layout(input: &MapInput) -> Layout {
    let max_level = input.roles.iter().map(|r| r.level).max().unwrap_or(1).max(1);
    let track_ix: BTreeMap<&str, usize> = input.tracks.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    // Roles whose track is unknown are not drawn (validation reports them).
    let roles: Vec<&super::MapRole> = input.roles.iter().filter(|r| track_ix.contains_key(r.track.as_str())).collect();
    // One row of entry points, no wider than the ladder: its columns are a
    // column per track and most roles a track has at one level.
    let mut per_cell: BTreeMap<(&str, u32), usize> = BTreeMap::new();
    for r in &roles {
        *per_cell.entry((r.track.as_str(), r.level)).or_default() += 1;
    }
    let mut widest: BTreeMap<&str, usize> = BTreeMap::new();
    for ((t, _), n) in per_cell {
        let w = widest.entry(t).or_default();
        *w = (*w).max(n);
    }
    let side_by_side = input.tracks.iter().map(|t| widest.get(t.id.as_str()).copied().unwrap_or(1)).sum::<usize>();
    let level_text = |l: u32| input.words.tn("map.level", u64::from(l), &[]);
    let gutter = 10.0 + level_text(max_level).chars().count() as f64 * LABEL_PX * CHAR_EM + 8.0;
    // Side by side while the map fits a desktop column; stacked beyond.
    // Side by side while the map fits a desktop column (tried when even
    // the narrowest nodes would fit, kept if the routed map does), stacked
    // beyond: sub-rows make a level harder to see at a glance.
    let crowded = side_by_side > input.tracks.len();
    let narrowest = gutter + side_by_side as f64 * (route::MIN_NODE_W + route::MIN_CH) + route::MIN_CH;
    let stacked = || arrange(graph(input, &roles, &track_ix, max_level, input.tracks.len(), true), &roles, gutter);
    let arranged = if crowded && narrowest > route::MAX_WIDTH {
        stacked()
    } else {
        let side = arrange(graph(input, &roles, &track_ix, max_level, side_by_side, false), &roles, gutter);
        if !crowded {
            side
        } else if side.geometry.width > route::MAX_WIDTH + 0.5 {
            stacked()
        } else {
            // Both fit: stacked only if it saves a tenth of the crossings.
            let other = stacked();
            if other.geometry.width <= route::MAX_WIDTH + 0.5 && 10 * other.crossings < 9 * side.crossings {
                other
            } else {
                side
            }
        }
    };
    let Arranged { graph: Graph { mut tmp, entries, keys, moves, .. }, placement, geometry: mut g, .. } = arranged;

    // Track names above their bands; the header is as tall as the longest needs.
    let name_lines: Vec<usize> = placement
        .bands
        .iter()
        .zip(&g.band_x)
        .map(|(&(t, ..), &(_, w))| text_block(&input.tracks[t].name, w, 3, 0.0, 0.0, BAND_PX, true).len())
        .collect();
    let header = 30.0 + name_lines.iter().copied().max().unwrap_or(1) as f64 * LINE_H;
    for r in &mut g.rects {
        r.y += header;
    }
    for pt in g.paths.iter_mut().flatten() {
        pt.1 += header;
    }
    for r in &mut g.row_y {
        r.0 += header;
    }
    tmp.bands = placement
        .bands
        .iter()
        .zip(&g.band_x)
        .map(|(&(t, ..), &(x, w))| {
            let tr = &input.tracks[t];
            Band {
                name: tr.name.clone(),
                name_lines: text_block(&tr.name, w, 3, x + w / 2.0, 32.0, BAND_PX, true),
                color: tr.color.clone(),
                x,
                w,
            }
        })
        .collect();
    tmp.width = g.width;
    tmp.height = g.height + header;

    let mut out_nodes = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let rect = g.rects[i];
        out_nodes.push(match roles.get(i) {
            Some(r) => {
                let t = &input.tracks[track_ix[r.track.as_str()]];
                Node {
                    key: key.clone(),
                    rect,
                    lines: centred_label(&r.title, &rect, 4),
                    label: r.title.clone(),
                    color: Some(t.color.clone()),
                    href: Some(r.href.clone()),
                    track_name: Some(t.name.clone()),
                    level: Some(r.level),
                    hiring: input.hiring.get(&r.id).cloned(),
                }
            }
            None => {
                let text = entries[i - roles.len()].1.clone();
                Node {
                    key: key.clone(),
                    rect,
                    lines: centred_label(&text, &rect, 2),
                    label: text,
                    color: None,
                    href: None,
                    track_name: None,
                    level: None,
                    hiring: None,
                }
            }
        });
    }
    out_nodes.sort_by(|a, b| a.key.cmp(&b.key));
    tmp.nodes = out_nodes;
    tmp.edges = moves
        .into_iter()
        .zip(g.paths)
        .map(|(((from, to), (count, supported)), points)| {
            let color = tmp.node(&from).and_then(|n| n.color.clone()).unwrap_or_else(|| "#6b7280".into());
            Edge { from, to, count, supported, points, color }
        })
        .collect();
    tmp.max_count = tmp.edges.iter().map(|e| e.count).max().unwrap_or(0);
    // A level's strip: halfway into the gaps either side of its rows.
    tmp.level_strips = (1..=max_level)
        .rev()
        .filter_map(|l| {
            let rows: Vec<usize> = (0..g.row_y.len()).filter(|&r| placement.row_level[r] == l).collect();
            let (&first, &last) = (rows.first()?, rows.last()?);
            let top = match first.checked_sub(1) {
                Some(p) => (g.row_y[p].0 + g.row_y[p].1 + g.row_y[first].0) / 2.0,
                None => g.row_y[first].0 - 12.0,
            };
            let bottom_of = |r: usize| g.row_y[r].0 + g.row_y[r].1;
            let bottom = match g.row_y.get(last + 1) {
                Some(next) => (bottom_of(last) + next.0) / 2.0,
                None => bottom_of(last) + 12.0,
            };
            Some((top, bottom - top))
        })
        .collect();
    // A level's label at the middle of its rows.
    tmp.level_labels = (1..=max_level)
        .filter_map(|l| {
            let rows: Vec<&(f64, f64)> =
                g.row_y.iter().zip(&placement.row_level).filter(|(_, &rl)| rl == l).map(|(r, _)| r).collect();
            let (first, last) = (rows.first()?, rows.last()?);
            Some((l, (first.0 + last.0 + last.1) / 2.0))
        })
        .map(|(l, y)| TextLine { text: level_text(l), x: 10.0, y: y + 4.0, px: LABEL_PX, bold: false, middle: false })
        .collect();
    tmp
}

/// The graph of one arrangement: `cols` columns, side by side or
/// `stacked` (a column per track).
struct Graph {
    /// The layout so far: its entry points' keys, nothing placed.
    tmp: Layout,
    entries: Vec<(String, String)>,
    keys: Vec<NodeKey>,
    moves: Vec<((NodeKey, NodeKey), (usize, bool))>,
    problem: order::Problem,
}

/// That graph ordered, routed and placed, before labels.
struct Arranged {
    graph: Graph,
    placement: route::Placement,
    geometry: route::Geometry,
    crossings: usize,
}

/// Builds the graph: roles, the entry points one row under the ladder
/// holds, and every move with its people.
fn graph(
    input: &MapInput,
    roles: &[&super::MapRole],
    track_ix: &BTreeMap<&str, usize>,
    max_level: u32,
    cols: usize,
    stacked: bool,
) -> Graph {
    let (entries, entry_of) = entry_points(input, cols.clamp(2, MAX_ENTRIES + 1));
    let tmp = Layout {
        width: 0.0,
        height: 0.0,
        bands: Vec::new(),
        level_labels: Vec::new(),
        level_strips: Vec::new(),
        nodes: Vec::new(),
        edges: Vec::new(),
        entry_of,
        max_count: 0,
        words: input.words.clone(),
    };
    let moves = count_moves(&tmp, input, roles, &entries);
    // Roles first, then entry points, most used first.
    let mut keys: Vec<NodeKey> = roles.iter().map(|r| NodeKey::Role(r.id.clone())).collect();
    keys.extend(entries.iter().map(|(k, _)| NodeKey::Entry(k.clone())));
    let index: BTreeMap<&NodeKey, usize> = keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let mut nodes: Vec<order::PNode> =
        roles.iter().map(|r| order::PNode { track: Some(track_ix[r.track.as_str()]), level: r.level.max(1) }).collect();
    nodes.extend(entries.iter().map(|_| order::PNode { track: None, level: 0 }));
    let edges: Vec<(usize, usize)> = moves.iter().map(|((a, b), _)| (index[a], index[b])).collect();
    let max_count = moves.iter().map(|(_, (c, _))| *c).max().unwrap_or(0);
    let widths = moves.iter().map(|(_, (c, _))| super::svg::edge_width(*c, max_count)).collect();
    let problem = order::Problem { tracks: input.tracks.len(), max_level, nodes, edges, widths, stacked };
    Graph { tmp, entries, keys, moves, problem }
}

/// Chooses the graph's order and routes it.
fn arrange(g: Graph, roles: &[&super::MapRole], gutter: f64) -> Arranged {
    let chosen = order::choose(&g.problem);
    let placement = g.problem.place(&chosen);
    // Labels wrap to the node width the routing leaves.
    let entries = &g.entries;
    let sizes = |w: f64| {
        let lines = |text: &str, max: usize| wrap(text, label_chars(w), max).len() as f64;
        let role_lines = roles.iter().map(|r| lines(&r.title, 4)).fold(1.0, f64::max);
        let entry_lines = entries.iter().map(|(_, t)| lines(t, 2)).fold(1.0, f64::max);
        route::Sizes { role_h: (role_lines * LINE_H + 14.0).max(44.0), entry_h: entry_lines * LINE_H + 16.0 }
    };
    let geometry = route::draw(&g.problem, &placement, gutter, 0.0, &sizes);
    let crossings = route::crossings(&g.problem, &geometry);
    Arranged { graph: g, placement, geometry, crossings }
}

/// The outside entry points met in the journeys, at most `room` nodes: the
/// most common with a node each, most common first (the rest share one),
/// and the node key of every outside text.
fn entry_points(input: &MapInput, room: usize) -> (Vec<(String, String)>, BTreeMap<String, String>) {
    let mut tallies: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for p in input.journeys.iter().flatten() {
        if let Place::Outside(text) = p {
            tallies.entry(slugify(text)).or_insert_with(|| (text.clone(), 0)).1 += 1;
        }
    }
    let mut ranked: Vec<(String, (String, usize))> = tallies.into_iter().collect();
    ranked.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then_with(|| a.0.cmp(&b.0)));
    let keep = if ranked.len() <= room { ranked.len() } else { room - 1 };
    let other = slugify(OTHER_ENTRY);
    let mut by_slug: BTreeMap<String, String> = BTreeMap::new();
    let mut shown: Vec<(String, String)> = Vec::new();
    for (rank, (slug, (text, _))) in ranked.into_iter().enumerate() {
        if rank < keep {
            by_slug.insert(slug.clone(), slug.clone());
            shown.push((slug, text));
        } else {
            if !shown.iter().any(|(k, _)| *k == other) {
                shown.push((other.clone(), input.words.t("map.other_entry").to_string()));
            }
            by_slug.insert(slug, other.clone());
        }
    }
    let mut entry_of = BTreeMap::new();
    for p in input.journeys.iter().flatten() {
        if let Place::Outside(text) = p {
            let key = by_slug.get(&slugify(text)).cloned().unwrap_or_else(|| other.clone());
            entry_of.insert(text.clone(), key);
        }
    }
    (shown, entry_of)
}

/// People per move (the journeys' steps) and whether the ladder lists it,
/// for every move between drawn nodes; sorted by (from, to).
fn count_moves(
    l: &Layout,
    input: &MapInput,
    roles: &[&super::MapRole],
    entries: &[(String, String)],
) -> Vec<((NodeKey, NodeKey), (usize, bool))> {
    // Nodes by index while counting (10,000 journeys make 60,000 steps: no
    // key is built per step); keyed and sorted at the end.
    let keys: Vec<NodeKey> = roles
        .iter()
        .map(|r| NodeKey::Role(r.id.clone()))
        .chain(entries.iter().map(|(k, _)| NodeKey::Entry(k.clone())))
        .collect();
    let role_ix: std::collections::HashMap<&str, usize> =
        roles.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let entry_ix: std::collections::HashMap<&str, usize> =
        entries.iter().enumerate().map(|(i, (k, _))| (k.as_str(), roles.len() + i)).collect();
    let outside_ix: std::collections::HashMap<&str, usize> =
        l.entry_of.iter().filter_map(|(text, k)| Some((text.as_str(), *entry_ix.get(k.as_str())?))).collect();
    let ix = |p: &Place| match p {
        Place::Role(id) => role_ix.get(id.as_str()).copied(),
        Place::Outside(text) => outside_ix.get(text.as_str()).copied(),
    };
    let mut counts: std::collections::HashMap<(usize, usize), (usize, bool)> = Default::default();
    for (i, r) in roles.iter().enumerate() {
        for n in &r.next {
            if let Some(&j) = role_ix.get(n.as_str()).filter(|&&j| j != i) {
                counts.entry((i, j)).or_default().1 = true;
            }
        }
    }
    for j in &input.journeys {
        for w in j.windows(2) {
            if let (Some(a), Some(b)) = (ix(&w[0]), ix(&w[1])) {
                if a != b {
                    counts.entry((a, b)).or_default().0 += 1;
                }
            }
        }
    }
    let mut out: Vec<((NodeKey, NodeKey), (usize, bool))> =
        counts.into_iter().map(|((a, b), c)| ((keys[a].clone(), keys[b].clone()), c)).collect();
    out.sort_by(|x, y| x.0.cmp(&y.0));
    out
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
        // One row under the ladder: its six tracks stack their crowded cells.
        assert_eq!(entries, 6);
        assert!(l.node(&NodeKey::Entry(slugify(OTHER_ENTRY))).is_some());
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

    /// The map's SVG, measured by the quality tool.
    fn measured(l: &Layout) -> super::super::quality::Quality {
        let svg = super::super::svg::render(l, &super::super::MapOptions { traffic: true, ..Default::default() });
        super::super::quality::measure_svg(&svg).unwrap()
    }

    #[test]
    fn no_line_passes_through_a_node_it_does_not_connect() {
        for (tracks, roles) in [(4, 15), (5, 24), (6, 30), (4, 30), (6, 15)] {
            let l = layout(&ladder(tracks, roles));
            let q = measured(&l);
            assert_eq!((q.intrusions, q.overlaps, q.edges_through_labels), (0, 0, 0), "{tracks}x{roles}");
        }
        assert_eq!(measured(&layout(&big_input())).intrusions, 0);
    }

    #[test]
    fn lines_are_orthogonal_and_end_on_their_nodes() {
        let l = layout(&ladder(6, 30));
        for e in &l.edges {
            for w in e.points.windows(2) {
                assert!((w[0].0 - w[1].0).abs() < 0.01 || (w[0].1 - w[1].1).abs() < 0.01, "{e:?}");
            }
            let on_side = |k: &NodeKey, (x, y): (f64, f64)| {
                let r = l.node(k).unwrap().rect;
                x >= r.x && x <= r.x + r.w && ((y - r.y).abs() < 0.01 || (y - r.y - r.h).abs() < 0.01)
            };
            assert!(on_side(&e.from, e.points[0]) && on_side(&e.to, *e.points.last().unwrap()), "{e:?}");
        }
    }

    #[test]
    fn moves_within_a_level_run_in_the_gap_above_it() {
        let l = layout(&ladder(6, 30));
        let mut seen = 0;
        for e in &l.edges {
            let (a, b) = (l.node(&e.from).unwrap().rect, l.node(&e.to).unwrap().rect);
            if (a.y - b.y).abs() < 0.01 {
                seen += 1;
                assert!(e.points.iter().all(|p| p.1 <= a.y + 0.01), "{e:?} leaves the gap above its row");
            }
        }
        assert!(seen > 0);
    }

    #[test]
    fn the_same_input_in_another_order_gives_the_same_map() {
        let input = ladder(5, 24);
        let mut shuffled = input.clone();
        shuffled.journeys.reverse();
        let (a, b) = (layout(&input), layout(&shuffled));
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn a_ladder_of_one_column_per_track_fits_a_desktop_column() {
        let mut input = ladder(6, 30);
        input.journeys.truncate(12);
        // One role per track and level: six columns.
        for (k, r) in input.roles.iter_mut().enumerate() {
            r.track = format!("t{}", k % 6);
            r.level = 1 + (k / 6) as u32;
        }
        let l = layout(&input);
        assert!(l.width <= route::MAX_WIDTH + 0.01, "{} px wide", l.width);
        assert!(l.nodes.iter().all(|n| n.lines.iter().all(|t| t.px >= 12.0)));
    }

    #[test]
    fn wrap_truncates_with_ellipsis() {
        assert_eq!(wrap("Team Lead", 20, 3), vec!["Team Lead"]);
        let w = wrap("one two three four five six seven eight", 9, 2);
        assert_eq!(w.len(), 2);
        assert!(w[1].ends_with('…'));
    }
}
