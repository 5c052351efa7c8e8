//! Routes the map's edges through the gaps of the grid and gives every
//! node, lane and line its coordinates.
//!
//! The grid has a column per sub-column of a track's band and a row per
//! level (then the rows of outside entry points). Between rows run
//! horizontal *gaps*, between columns vertical *channels*; nodes sit only in
//! cells, so a line that keeps to gaps and channels never passes through a
//! role it does not connect (Gansner et al.'s splines route through the
//! same kind of free boxes; here the boxes are the grid's own gaps).
//!
//! A move between adjacent rows is three straight pieces: out of the side
//! of its node facing the other, along a *lane* of the gap between, into the
//! other node. A move across several rows also climbs a vertical *run* in a
//! channel, or straight through a column whose cells on the way are empty.
//! A move within a row runs in the gap above it. Lanes of a gap are ordered
//! so that as few lines cross as possible (each line's stubs up and down are
//! known), and the gap grows with its lanes; channels likewise.
//!
//! The result is orthogonal polylines; the SVG rounds their corners.

use super::layout::Rect;
use super::order::Problem;

/// Clearance between parallel lines in a gap or channel.
const CLEAR: f64 = 3.0;
/// From a node's side to its nearest lane: room for an arrowhead.
const GAP_PAD: f64 = 15.0;
/// Rows stay this far apart even when no line runs between them.
const MIN_GAP: f64 = 40.0;
/// The gap under the header and the one under the last row.
const OUTER_GAP: f64 = 14.0;
const CH_PAD: f64 = 7.0;
pub const MIN_CH: f64 = 16.0;
/// Spacing of line ends along a node's side.
const PORT_SP: f64 = 10.0;
const RIGHT_PAD: f64 = 8.0;
/// Node widths: as wide as the map's budget allows, within these.
pub const MIN_NODE_W: f64 = 112.0;
pub const MAX_NODE_W: f64 = 156.0;
/// The widest the map is made before nodes stop shrinking: the content
/// column of the horizon theme at a 1280 px viewport (1118 px) with room.
pub const MAX_WIDTH: f64 = 1100.0;

/// Where every node sits: its cell, and each display band's columns.
#[derive(Debug, Clone)]
pub struct Placement {
    pub cols: usize,
    pub rows: usize,
    /// Node -> (column, row); row 0 is the top (the highest level).
    pub at: Vec<(usize, usize)>,
    /// Per band, left to right: (track index, first column, columns).
    pub bands: Vec<(usize, usize, usize)>,
    /// Row -> is a row of entry points.
    pub entry_row: Vec<bool>,
    /// Row -> its level (0 for entry points).
    pub row_level: Vec<u32>,
    /// Per edge, which of its run's possible vertical tracks it takes, by
    /// rank (0: the nearest); missing is 0.
    pub run_choice: Vec<u8>,
}

impl Placement {
    fn occupied(&self) -> Vec<bool> {
        let mut occ = vec![false; self.rows * self.cols];
        for &(c, r) in &self.at {
            occ[r * self.cols + c] = true;
        }
        occ
    }
}

/// Sizes that depend on the node width (labels wrap to it).
pub struct Sizes {
    pub role_h: f64,
    pub entry_h: f64,
}

/// Everything placed.
#[derive(Debug, Clone)]
pub struct Geometry {
    /// Per edge, how many vertical tracks its run could take (0: no run).
    pub run_options: Vec<usize>,
    pub rects: Vec<Rect>,
    /// Per edge of the problem, its orthogonal polyline (start to end).
    pub paths: Vec<Vec<(f64, f64)>>,
    /// Per band (display order): x and width.
    pub band_x: Vec<(f64, f64)>,
    /// Per row: its top and height.
    pub row_y: Vec<(f64, f64)>,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Top,
    Bottom,
}

/// Which way a line leaves a lane at one of its ends: to the gap's top or bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stub {
    Up,
    Down,
}

/// An edge's course through the grid.
struct Course {
    side_a: Side,
    side_b: Side,
    /// The gap next to each end (equal for adjacent rows and within a row).
    g1: usize,
    g2: usize,
    /// Vertical track (channel `2k`, column interior `2c + 1`) and lane, for a run.
    run: Option<(usize, usize)>,
}

/// A horizontal piece of a line in a gap.
struct Piece {
    edge: usize,
    /// 0 for the piece at the start's gap, 1 at the end's.
    which: usize,
    x1: f64,
    x2: f64,
    s1: Stub,
    s2: Stub,
}

impl Piece {
    fn span(&self) -> (f64, f64) {
        (self.x1.min(self.x2), self.x1.max(self.x2))
    }
    fn stubs(&self, s: Stub) -> impl Iterator<Item = f64> + '_ {
        [(self.x1, self.s1), (self.x2, self.s2)].into_iter().filter(move |(_, t)| *t == s).map(|(x, _)| x)
    }
}

/// Lines crossed if `h` runs above `k` in a gap: `h`'s stubs down cross
/// `k`'s lane, `k`'s stubs up cross `h`'s.
fn cost_above(h: &Piece, k: &Piece) -> usize {
    let inside = |x: f64, (a, b): (f64, f64)| x > a + 0.5 && x < b - 0.5;
    h.stubs(Stub::Down).filter(|&x| inside(x, k.span())).count()
        + k.stubs(Stub::Up).filter(|&x| inside(x, h.span())).count()
}

/// The most pieces a gap is sifted with (see [`order_lanes`]).
const SIFT_MAX: usize = 120;

/// Orders a gap's pieces top to bottom so that few lines cross: the lines
/// crossed in a gap are, over every pair of overlapping pieces, the cost of
/// the one above being above ([`cost_above`]). An insertion sort by the
/// pairwise cost (it need not be transitive), then sifting: each piece in
/// turn moved to the place where the total is least, while that helps.
fn order_lanes(pieces: &mut Vec<Piece>) {
    let overlap = |a: &Piece, b: &Piece| {
        let (x, y) = (a.span(), b.span());
        x.0 <= y.1 + 3.0 && y.0 <= x.1 + 3.0
    };
    let cost = |a: &Piece, b: &Piece| if overlap(a, b) { cost_above(a, b) } else { 0 };
    for i in 1..pieces.len() {
        let mut j = i;
        while j > 0 && cost(&pieces[j], &pieces[j - 1]) < cost(&pieces[j - 1], &pieces[j]) {
            pieces.swap(j, j - 1);
            j -= 1;
        }
    }
    let n = pieces.len();
    // Sifting costs the square of a gap's pieces a pass: dense maps' gaps
    // keep the insertion order.
    let passes = if n <= SIFT_MAX { 3 } else { 0 };
    for _ in 0..passes {
        let mut moved = false;
        for i in 0..n {
            let piece = pieces.remove(i);
            // Cost of putting it at k: above all from k on, below those before k.
            let below: Vec<usize> = pieces.iter().map(|q| cost(q, &piece)).collect();
            let above: Vec<usize> = pieces.iter().map(|q| cost(&piece, q)).collect();
            let mut total: usize = above.iter().sum();
            let (mut best, mut best_k) = (total, 0);
            for k in 1..=pieces.len() {
                total = total - above[k - 1] + below[k - 1];
                if total < best {
                    (best, best_k) = (total, k);
                }
            }
            let old = (0..i).map(|q| below[q]).sum::<usize>() + (i..pieces.len()).map(|q| above[q]).sum::<usize>();
            let k = if best < old { best_k } else { i };
            moved |= k != i;
            pieces.insert(k, piece);
        }
        if !moved {
            break;
        }
    }
}

/// Lanes for items given in their preferred order (first = top or left):
/// each takes the lane after the last lane of an earlier item it overlaps,
/// so overlapping items keep their order and disjoint ones share lanes.
fn lanes_in_order(n: usize, overlaps: impl Fn(usize, usize) -> bool) -> (Vec<usize>, usize) {
    let mut lane = vec![0usize; n];
    let mut count = 0;
    for i in 0..n {
        lane[i] = (0..i).filter(|&j| overlaps(i, j)).map(|j| lane[j] + 1).max().unwrap_or(0);
        count = count.max(lane[i] + 1);
    }
    (lane, count)
}

/// Lanes across a gap or channel, each as wide as its widest line and a
/// clearance, so thin lines pack close and wide ones keep clear.
#[derive(Debug, Clone, Default)]
struct Lanes {
    /// Each lane's centre, from the first lane's outer edge.
    centre: Vec<f64>,
}

impl Lanes {
    /// From (lane, stroke width) of every line in them.
    fn new(items: impl Iterator<Item = (usize, f64)>) -> Lanes {
        let mut w: Vec<f64> = Vec::new();
        for (l, width) in items {
            if w.len() <= l {
                w.resize(l + 1, 0.0);
            }
            w[l] = w[l].max(width + CLEAR);
        }
        let mut x = 0.0;
        let centre = w
            .iter()
            .map(|lw| {
                let c = x + lw / 2.0;
                x += lw;
                c
            })
            .collect();
        Lanes { centre }
    }

    /// From the first lane's centre to the last's.
    fn inner(&self) -> f64 {
        match (self.centre.first(), self.centre.last()) {
            (Some(a), Some(b)) => b - a,
            _ => 0.0,
        }
    }

    /// The room they need with `pad` on either side, at least `min`.
    fn room(&self, pad: f64, min: f64) -> f64 {
        if self.centre.is_empty() {
            min
        } else {
            min.max(2.0 * pad + self.inner())
        }
    }

    /// Lane `l`'s centre, the lanes centred in a room from `start`, `room` long.
    fn at(&self, l: usize, start: f64, room: f64) -> f64 {
        let first = self.centre.first().copied().unwrap_or(0.0);
        start + (room - self.inner()) / 2.0 + self.centre.get(l).map_or(0.0, |c| c - first)
    }
}

/// Line ends per node side (node, top?): (where the line heads, edge, is its start).
type Ends = std::collections::BTreeMap<(usize, bool), Vec<(f64, usize, bool)>>;

/// Places and routes everything. `gutter` is the room left of the first
/// band (level labels), `header` the room above the first row (track names).
pub fn draw(p: &Problem, pl: &Placement, gutter: f64, header: f64, sizes: &dyn Fn(f64) -> Sizes) -> Geometry {
    let occ = pl.occupied();
    let cols = pl.cols;

    // 1. The course of each edge; vertical runs get a track.
    let mut courses: Vec<Course> = Vec::with_capacity(p.edges.len());
    let mut run_options = vec![0usize; p.edges.len()];
    // Per vertical track: (edge, upper gap, lower gap, key) of its runs.
    let mut runs: Vec<Vec<(usize, usize, usize, f64)>> = vec![Vec::new(); 2 * cols + 2];
    for (ei, &(a, b)) in p.edges.iter().enumerate() {
        let ((ca, ra), (cb, rb)) = (pl.at[a], pl.at[b]);
        let (side_a, side_b, g1, g2) = if ra == rb {
            (Side::Top, Side::Top, ra, ra)
        } else if rb < ra {
            (Side::Top, Side::Bottom, ra, rb + 1)
        } else {
            (Side::Bottom, Side::Top, ra + 1, rb)
        };
        let mut run = None;
        if g1 != g2 {
            let (hi, lo) = (g1.min(g2), g1.max(g2));
            let (c0, c1) = (ca.min(cb), ca.max(cb));
            let free = |c: usize| (hi..lo).all(|r| !occ[r * cols + c]);
            let load = |t: usize| runs[t].iter().filter(|&&(_, h, l, _)| h <= lo && hi <= l).count() as f64;
            let pos = |t: usize| if t % 2 == 0 { (t / 2) as f64 - 0.5 } else { ((t - 1) / 2) as f64 };
            let mut options: Vec<(f64, usize)> = Vec::new();
            for t in 2 * c0..=2 * c1 + 2 {
                if t % 2 == 1 && !free((t - 1) / 2) {
                    continue;
                }
                let x = pos(t);
                // Straight runs through empty cells read best; then short ones.
                let cost =
                    (x - ca as f64).abs() + (x - cb as f64).abs() + 0.4 * load(t) - if t % 2 == 1 { 0.3 } else { 0.0 };
                options.push((cost, t));
            }
            options.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let pick = pl.run_choice.get(ei).copied().unwrap_or(0) as usize;
            run_options[ei] = options.len();
            let t = options.get(pick.min(options.len().saturating_sub(1))).map_or(2 * c0, |o| o.1);
            runs[t].push((ei, hi, lo, (ca + cb) as f64 / 2.0));
            run = Some((t, 0));
        }
        courses.push(Course { side_a, side_b, g1, g2, run });
    }

    // 2. Lanes of the runs in each vertical track, ordered by where they go.
    let mut track_lanes = vec![Lanes::default(); runs.len()];
    for (t, list) in runs.iter_mut().enumerate() {
        list.sort_by(|x, y| x.3.total_cmp(&y.3).then(x.0.cmp(&y.0)));
        let (lanes, _) = lanes_in_order(list.len(), |i, j| list[i].1 <= list[j].2 && list[j].1 <= list[i].2);
        for (k, &(e, ..)) in list.iter().enumerate() {
            courses[e].run = Some((t, lanes[k]));
        }
        track_lanes[t] = Lanes::new(list.iter().zip(&lanes).map(|(r, &l)| (l, p.widths[r.0])));
    }

    // 3. Columns and channels across; parallel lines keep clear of each
    // other however wide they are drawn.
    let ch_w: Vec<f64> = (0..=cols).map(|k| track_lanes[2 * k].room(CH_PAD, MIN_CH)).collect();
    let fixed = gutter + ch_w.iter().sum::<f64>() + RIGHT_PAD;
    let node_w = ((MAX_WIDTH - fixed) / cols.max(1) as f64).floor().clamp(MIN_NODE_W, MAX_NODE_W);
    let mut col_x = Vec::with_capacity(cols);
    let mut x = gutter;
    for w in ch_w.iter().take(cols) {
        x += w;
        col_x.push(x);
        x += node_w;
    }
    let width = x + ch_w[cols] + RIGHT_PAD;
    let ch_left = |k: usize| if k == 0 { gutter } else { col_x[k - 1] + node_w };
    let run_x = |t: usize, lane: usize| -> f64 {
        if t % 2 == 0 {
            let k = t / 2;
            track_lanes[t].at(lane, ch_left(k), ch_w[k])
        } else {
            track_lanes[t].at(lane, col_x[(t - 1) / 2], node_w)
        }
    };
    let cx = |node: usize| col_x[pl.at[node].0] + node_w / 2.0;

    // 4. Ports: each side's line ends spread along it, ordered by where
    // their line heads, so lines leaving one node do not cross each other.
    let mut ends: Ends = Default::default();
    for (ei, (&(a, b), c)) in p.edges.iter().zip(&courses).enumerate() {
        let via = c.run.map(|(t, l)| run_x(t, l));
        ends.entry((a, c.side_a == Side::Top)).or_default().push((via.unwrap_or_else(|| cx(b)), ei, true));
        ends.entry((b, c.side_b == Side::Top)).or_default().push((via.unwrap_or_else(|| cx(a)), ei, false));
    }
    let mut port = vec![(0.0f64, 0.0f64); p.edges.len()]; // (x at start, x at end)
    for ((node, _), mut list) in ends {
        list.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let n = list.len() as f64;
        let widest = list.iter().map(|e| p.widths[e.1] + CLEAR).fold(PORT_SP, f64::max);
        let sp = widest.min(0.8 * node_w / n);
        for (i, &(_, e, start)) in list.iter().enumerate() {
            let x = cx(node) + (i as f64 - (n - 1.0) / 2.0) * sp;
            if start {
                port[e].0 = x;
            } else {
                port[e].1 = x;
            }
        }
    }

    // 5. Horizontal pieces in the gaps, their order and lanes.
    let stub = |side: Side| if side == Side::Top { Stub::Down } else { Stub::Up };
    let mut gaps: Vec<Vec<Piece>> = (0..=pl.rows).map(|_| Vec::new()).collect();
    for (ei, c) in courses.iter().enumerate() {
        let (xa, xb) = port[ei];
        match c.run {
            None => {
                gaps[c.g1].push(Piece { edge: ei, which: 0, x1: xa, x2: xb, s1: stub(c.side_a), s2: stub(c.side_b) })
            }
            Some((t, l)) => {
                let xr = run_x(t, l);
                let up = c.g2 < c.g1;
                let (toward, from) = if up { (Stub::Up, Stub::Down) } else { (Stub::Down, Stub::Up) };
                gaps[c.g1].push(Piece { edge: ei, which: 0, x1: xa, x2: xr, s1: stub(c.side_a), s2: toward });
                gaps[c.g2].push(Piece { edge: ei, which: 1, x1: xr, x2: xb, s1: from, s2: stub(c.side_b) });
            }
        }
    }
    let mut lane_y: Vec<Vec<Option<usize>>> = vec![vec![None; 2]; p.edges.len()];
    let mut gap_lanes = vec![Lanes::default(); pl.rows + 1];
    for (g, pieces) in gaps.iter_mut().enumerate() {
        // Straight pieces need no lane.
        pieces.retain(|pc| (pc.x1 - pc.x2).abs() >= 0.5);
        pieces.sort_by(|a, b| {
            let (sa, sb) = (a.span(), b.span());
            (sa.1 - sa.0).total_cmp(&(sb.1 - sb.0)).then(a.edge.cmp(&b.edge)).then(a.which.cmp(&b.which))
        });
        order_lanes(pieces);
        let (lanes, _) = lanes_in_order(pieces.len(), |i, j| {
            let (a, b) = (pieces[i].span(), pieces[j].span());
            a.0 <= b.1 + 3.0 && b.0 <= a.1 + 3.0
        });
        for (pc, &l) in pieces.iter().zip(&lanes) {
            lane_y[pc.edge][pc.which] = Some(l);
        }
        gap_lanes[g] = Lanes::new(pieces.iter().zip(&lanes).map(|(pc, &l)| (l, p.widths[pc.edge])));
    }

    // 6. Rows and gaps down the page.
    let sz = sizes(node_w);
    let mut gap_top = Vec::with_capacity(pl.rows + 1);
    let mut gap_h = Vec::with_capacity(pl.rows + 1);
    let mut row_y = Vec::with_capacity(pl.rows);
    let mut y = header;
    for (g, lanes) in gap_lanes.iter().enumerate() {
        let outer = g == 0 || g == pl.rows;
        let h = lanes.room(GAP_PAD, if outer { OUTER_GAP } else { MIN_GAP });
        gap_top.push(y);
        gap_h.push(h);
        y += h;
        if g < pl.rows {
            let rh = if pl.entry_row[g] { sz.entry_h } else { sz.role_h };
            row_y.push((y, rh));
            y += rh;
        }
    }
    let height = y + 8.0;
    let lane_at = |g: usize, l: usize| gap_lanes[g].at(l, gap_top[g], gap_h[g]);

    let rects: Vec<Rect> =
        pl.at.iter().map(|&(c, r)| Rect { x: col_x[c], y: row_y[r].0, w: node_w, h: row_y[r].1 }).collect();

    // 7. The polylines.
    let side_y = |node: usize, side: Side| {
        let r = rects[node];
        if side == Side::Top {
            r.y
        } else {
            r.y + r.h
        }
    };
    let mut paths = Vec::with_capacity(p.edges.len());
    for (ei, (&(a, b), c)) in p.edges.iter().zip(&courses).enumerate() {
        let (xa, xb) = port[ei];
        let start = (xa, side_y(a, c.side_a));
        let end = (xb, side_y(b, c.side_b));
        let mut pts = vec![start];
        let at_lane = |pts: &mut Vec<(f64, f64)>, g: usize, which: usize, x1: f64, x2: f64| {
            if let Some(l) = lane_y[ei][which] {
                let ly = lane_at(g, l);
                pts.push((x1, ly));
                pts.push((x2, ly));
            }
        };
        match c.run {
            None => at_lane(&mut pts, c.g1, 0, xa, xb),
            Some((t, l)) => {
                let xr = run_x(t, l);
                at_lane(&mut pts, c.g1, 0, xa, xr);
                at_lane(&mut pts, c.g2, 1, xr, xb);
            }
        }
        pts.push(end);
        // A piece short enough to need no lane leaves the line straight:
        // what follows keeps its x.
        for i in 1..pts.len() {
            if (pts[i].0 - pts[i - 1].0).abs() < 0.5 {
                pts[i].0 = pts[i - 1].0;
            }
        }
        pts.dedup_by(|p, q| (p.0 - q.0).abs() < 0.01 && (p.1 - q.1).abs() < 0.01);
        paths.push(pts);
    }

    // 8. Bands: their columns and half of the channels beside them.
    let band_x = pl
        .bands
        .iter()
        .map(|&(_, first, n)| {
            let last = first + n - 1;
            let left = if first == 0 { gutter + 2.0 } else { col_x[first] - ch_w[first] / 2.0 + 2.0 };
            let right = if last + 1 == cols {
                col_x[last] + node_w + ch_w[cols] - 2.0
            } else {
                col_x[last] + node_w + ch_w[last + 1] / 2.0 - 2.0
            };
            (left, right - left)
        })
        .collect();
    Geometry { run_options, rects, paths, band_x, row_y, width, height }
}

/// Pairs of edges whose lines cross, as `map::quality` counts them: a
/// meeting within 4 px of a node both connect is not a crossing.
pub fn crossings(p: &Problem, g: &Geometry) -> usize {
    // Every piece is horizontal or vertical: a crossing is a vertical piece
    // whose x is strictly inside a horizontal one's span, at a y strictly
    // inside its own. Horizontal pieces sorted by y; each vertical one
    // looks only at those in its y range.
    let mut hs: Vec<(f64, f64, f64, u32)> = Vec::new(); // y, x0, x1, edge
    let mut vs: Vec<(f64, f64, f64, u32)> = Vec::new(); // x, y0, y1, edge
    for (e, pts) in g.paths.iter().enumerate() {
        for w in pts.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            if (y0 - y1).abs() < 0.01 && (x0 - x1).abs() >= 0.01 {
                hs.push((y0, x0.min(x1), x0.max(x1), e as u32));
            } else if (x0 - x1).abs() < 0.01 && (y0 - y1).abs() >= 0.01 {
                vs.push((x0, y0.min(y1), y0.max(y1), e as u32));
            }
        }
    }
    hs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let near = |r: &Rect, (x, y): (f64, f64)| {
        let dx = (r.x - x).max(x - r.x - r.w).max(0.0);
        let dy = (r.y - y).max(y - r.y - r.h).max(0.0);
        dx.hypot(dy) <= 4.0
    };
    let mut pairs: Vec<u64> = Vec::new();
    for &(x, y0, y1, ev) in &vs {
        let from = hs.partition_point(|h| h.0 <= y0 + 0.01);
        for &(y, x0, x1, eh) in hs[from..].iter().take_while(|h| h.0 < y1 - 0.01) {
            if eh == ev || x <= x0 + 0.01 || x >= x1 - 0.01 {
                continue;
            }
            // Meeting near a node both lines connect is touching, not crossing.
            let (a, b) = (p.edges[ev as usize], p.edges[eh as usize]);
            let shared = [a.0, a.1].into_iter().filter(|k| *k == b.0 || *k == b.1).any(|k| near(&g.rects[k], (x, y)));
            if !shared {
                let (lo, hi) = (ev.min(eh) as u64, ev.max(eh) as u64);
                pairs.push(lo << 32 | hi);
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs.len()
}

/// The total length of the lines: among orders with as many crossings, the
/// shorter drawing reads better.
pub fn length(g: &Geometry) -> f64 {
    g.paths.iter().flat_map(|p| p.windows(2)).map(|s| (s[0].0 - s[1].0).abs() + (s[0].1 - s[1].1).abs()).sum()
}
