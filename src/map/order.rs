//! Chooses the order of the tracks, of the roles within each track's
//! cells, and the places of the outside entry points, so that few lines
//! cross.
//!
//! The contract fixes the grid (a band per track, a row per level); inside
//! it this is the layered ordering of Sugiyama et al. and dot's mincross:
//! barycenter sweeps for a start (each track, then each role, moved to the
//! mean column of what it is connected to), then transpositions of
//! neighbouring tracks and cell slots, each kept only if the routed drawing
//! ([`route::draw`]) has fewer crossings, or as many and shorter lines. The
//! number of tries is fixed, not timed, so the result is deterministic.

use super::route::{self, Placement, Sizes};

/// A node of the graph: a role (track and level) or an entry point.
#[derive(Debug, Clone)]
pub struct PNode {
    /// None for an outside entry point.
    pub track: Option<usize>,
    pub level: u32,
}

/// The graph to lay out: nodes (roles first, then entry points, most used
/// first) and edges between them.
#[derive(Debug, Clone)]
pub struct Problem {
    pub tracks: usize,
    pub max_level: u32,
    pub nodes: Vec<PNode>,
    pub edges: Vec<(usize, usize)>,
    /// Each edge's stroke width: parallel lines are spaced by it.
    pub widths: Vec<f64>,
    /// Roles sharing a track and level stand one above the other (the
    /// level's row splits in sub-rows) instead of side by side: a track is
    /// then one column wide, for ladders whose crowded cells would make the
    /// map wider than a desktop column.
    pub stacked: bool,
}

/// The choice: tracks left to right, and per track and level the role in
/// each slot (sub-column) of the band.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub tracks: Vec<usize>,
    /// `cells[track][level - 1][slot]`.
    pub cells: Vec<Vec<Vec<Option<usize>>>>,
    /// The entry point in each column of the entry row; empty until the
    /// search fixes them: each goes under the columns it leads into.
    pub entries: Vec<Option<usize>>,
    /// Per edge, the rank of the vertical track its run takes (see
    /// [`Placement::run_choice`]).
    pub runs: Vec<u8>,
}

/// How many drawings the search may route: a small map's drawing costs
/// microseconds, a dense one's milliseconds (routing and counting grow with
/// the square of the moves), so the budget shrinks with the square of the
/// edges: about 40 ms of search on any map in a release build.
const MAX_TRIES: usize = 600;
const WORK: usize = 1_600_000;

fn budget(edges: usize) -> usize {
    (WORK / (edges * edges).max(1)).clamp(2, MAX_TRIES)
}
const SWEEPS: usize = 4;

impl Problem {
    fn neighbours(&self) -> Vec<Vec<usize>> {
        let mut nb = vec![Vec::new(); self.nodes.len()];
        for &(a, b) in &self.edges {
            nb[a].push(b);
            nb[b].push(a);
        }
        nb
    }

    /// The ladder's own order: tracks as listed, roles as listed. A cell
    /// has as many slots as the widest cell of its track (side by side) or
    /// of its level (stacked).
    fn initial(&self) -> Order {
        let levels = self.max_level as usize;
        let mut cells: Vec<Vec<Vec<Option<usize>>>> = vec![vec![Vec::new(); levels]; self.tracks];
        for (i, n) in self.nodes.iter().enumerate() {
            if let Some(t) = n.track {
                cells[t][n.level as usize - 1].push(Some(i));
            }
        }
        let level_max: Vec<usize> =
            (0..levels).map(|l| cells.iter().map(|t| t[l].len()).max().unwrap_or(0).max(1)).collect();
        for track in &mut cells {
            let slots = track.iter().map(Vec::len).max().unwrap_or(0).max(1);
            for (l, cell) in track.iter_mut().enumerate() {
                cell.resize(if self.stacked { level_max[l] } else { slots }, None);
            }
        }
        Order { tracks: (0..self.tracks).collect(), cells, entries: Vec::new(), runs: Vec::new() }
    }

    /// Columns and rows of every node, entry points placed under the
    /// columns they lead into, in as few rows as hold them.
    pub fn place(&self, o: &Order) -> Placement {
        // Rows of each level, top down: one, or one per stacked slot.
        let sub_rows: Vec<usize> = (0..self.max_level as usize)
            .map(|l| if self.stacked { o.cells.iter().map(|t| t[l].len()).max().unwrap_or(1).max(1) } else { 1 })
            .collect();
        let mut first_row = vec![0usize; sub_rows.len()];
        let mut row_level = Vec::new();
        for l in (0..sub_rows.len()).rev() {
            first_row[l] = row_level.len();
            row_level.extend(std::iter::repeat_n(l as u32 + 1, sub_rows[l]));
        }
        let levels = row_level.len();
        let mut at = vec![(0usize, 0usize); self.nodes.len()];
        let mut bands = Vec::with_capacity(o.tracks.len());
        let mut col = 0;
        for &t in &o.tracks {
            let slots = if self.stacked { 1 } else { o.cells[t].first().map_or(1, Vec::len) };
            for (l, cell) in o.cells[t].iter().enumerate() {
                for (s, n) in cell.iter().enumerate() {
                    if let Some(n) = *n {
                        at[n] = if self.stacked { (col, first_row[l] + s) } else { (col + s, first_row[l]) };
                    }
                }
            }
            bands.push((t, col, slots));
            col += slots;
        }
        let cols = col.max(1);
        let entries: Vec<usize> = (0..self.nodes.len()).filter(|&i| self.nodes[i].track.is_none()).collect();
        let entry_rows = entries.len().div_ceil(cols);
        let rows = levels + entry_rows;
        let mut want = vec![(0.0f64, 0.0f64); self.nodes.len()];
        for &(a, b) in &self.edges {
            for (e, other) in [(a, b), (b, a)] {
                if self.nodes[e].track.is_none() && self.nodes[other].track.is_some() {
                    want[e].0 += at[other].0 as f64;
                    want[e].1 += 1.0;
                }
            }
        }
        let mut taken = vec![false; entry_rows * cols];
        row_level.resize(rows, 0);
        let entry_row = (0..rows).map(|r| r >= levels).collect();
        if o.entries.len() == cols && entry_rows == 1 {
            for (c, e) in o.entries.iter().enumerate() {
                if let Some(e) = *e {
                    at[e] = (c, levels);
                }
            }
            return Placement { cols, rows, at, bands, entry_row, row_level, run_choice: o.runs.clone() };
        }
        for &e in &entries {
            let pref = if want[e].1 > 0.0 { want[e].0 / want[e].1 } else { 0.0 };
            let mut best: Option<(f64, usize, usize)> = None;
            for r in 0..entry_rows {
                for c in 0..cols {
                    if taken[r * cols + c] {
                        continue;
                    }
                    let cost = (c as f64 - pref).abs() + 0.01 * r as f64;
                    if best.is_none_or(|b| cost < b.0 - 1e-9) {
                        best = Some((cost, c, r));
                    }
                }
            }
            // The entry rows have a cell for every entry point.
            let Some((_, c, r)) = best else { break };
            taken[r * cols + c] = true;
            at[e] = (c, levels + r);
        }
        Placement { cols, rows, at, bands, entry_row, row_level, run_choice: o.runs.clone() }
    }

    /// One barycenter sweep: tracks by the mean column of their roles'
    /// neighbours in other tracks, then each cell's roles by theirs.
    fn sweep(&self, o: &Order, nb: &[Vec<usize>]) -> Order {
        let pl = self.place(o);
        let col = |n: usize| pl.at[n].0 as f64;
        let mut o = o.clone();
        let mut keyed: Vec<(f64, usize, usize)> = o
            .tracks
            .iter()
            .enumerate()
            .map(|(pos, &t)| {
                let (mut sum, mut k) = (0.0, 0.0);
                for (i, n) in self.nodes.iter().enumerate() {
                    if n.track == Some(t) {
                        for &m in &nb[i] {
                            if self.nodes[m].track.is_some_and(|u| u != t) {
                                sum += col(m);
                                k += 1.0;
                            }
                        }
                    }
                }
                let own = pl.bands[pos].1 as f64;
                ((if k > 0.0 { sum / k } else { own }), pos, t)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        o.tracks = keyed.into_iter().map(|(_, _, t)| t).collect();
        let pl = self.place(&o);
        // Stacked cells are ordered by the search alone: a barycenter of
        // columns says nothing about above and below.
        if self.stacked {
            return o;
        }
        for &(t, first, slots) in &pl.bands {
            for cell in o.cells[t].iter_mut() {
                let mut roles: Vec<(f64, usize)> = cell
                    .iter()
                    .flatten()
                    .map(|&n| {
                        let cs: Vec<f64> = nb[n].iter().map(|&m| pl.at[m].0 as f64).collect();
                        let b =
                            if cs.is_empty() { pl.at[n].0 as f64 } else { cs.iter().sum::<f64>() / cs.len() as f64 };
                        (b - first as f64, n)
                    })
                    .collect();
                roles.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let k = roles.len();
                let mut next = vec![None; slots];
                let mut min = 0usize;
                for (i, (b, n)) in roles.into_iter().enumerate() {
                    let s = (b.round().max(0.0) as usize).clamp(min, slots - (k - i));
                    next[s] = Some(n);
                    min = s + 1;
                }
                *cell = next;
            }
        }
        o
    }
}

/// How good an order is: crossings first, then the length of the lines.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Score(usize, f64);

fn drawn(p: &Problem, o: &Order) -> route::Geometry {
    route::draw(p, &p.place(o), 0.0, 0.0, &|_| Sizes { role_h: 58.0, entry_h: 46.0 })
}

fn score(p: &Problem, o: &Order) -> Score {
    let g = drawn(p, o);
    Score(route::crossings(p, &g), route::length(&g))
}

fn better(a: Score, b: Score) -> bool {
    a.0 < b.0 || (a.0 == b.0 && a.1 < b.1 - 0.5)
}

/// The search: the best order found, its score, and the drawings routed.
struct Search<'a> {
    p: &'a Problem,
    best: Order,
    score: Score,
    tries: usize,
    max_tries: usize,
}

impl Search<'_> {
    /// Routes `o`; keeps it if it beats the best. Whether it did.
    fn try_order(&mut self, o: Order) -> bool {
        if self.tries >= self.max_tries {
            return false;
        }
        self.tries += 1;
        let s = score(self.p, &o);
        let won = better(s, self.score);
        if won {
            (self.best, self.score) = (o, s);
        }
        won
    }

    /// Neighbouring tracks swapped.
    fn tracks(&mut self) -> bool {
        let mut improved = false;
        for i in 0..self.best.tracks.len().saturating_sub(1) {
            let mut o = self.best.clone();
            o.tracks.swap(i, i + 1);
            o.entries.clear();
            improved |= self.try_order(o);
        }
        improved
    }

    /// Neighbouring slots of a cell swapped (a role and an empty slot too).
    fn cells(&mut self) -> bool {
        let mut improved = false;
        for t in 0..self.best.cells.len() {
            for l in 0..self.best.cells[t].len() {
                for s in 0..self.best.cells[t][l].len().saturating_sub(1) {
                    let cell = &self.best.cells[t][l];
                    if cell[s].is_none() && cell[s + 1].is_none() {
                        continue;
                    }
                    let mut o = self.best.clone();
                    o.cells[t][l].swap(s, s + 1);
                    improved |= self.try_order(o);
                }
            }
        }
        improved
    }

    /// The entry points fixed where the tracks put them, then neighbouring
    /// columns of their row swapped.
    fn entries(&mut self) -> bool {
        let pl = self.p.place(&self.best);
        if pl.entry_row.iter().filter(|e| **e).count() != 1 {
            return false;
        }
        if self.best.entries.len() != pl.cols {
            self.best.entries = vec![None; pl.cols];
            for (n, node) in self.p.nodes.iter().enumerate() {
                if node.track.is_none() {
                    self.best.entries[pl.at[n].0] = Some(n);
                }
            }
        }
        let mut improved = false;
        for c in 0..pl.cols.saturating_sub(1) {
            if self.best.entries[c].is_none() && self.best.entries[c + 1].is_none() {
                continue;
            }
            let mut o = self.best.clone();
            o.entries.swap(c, c + 1);
            improved |= self.try_order(o);
        }
        improved
    }

    /// Each run up or down several rows on its other vertical tracks, the
    /// nearer first.
    fn runs(&mut self) -> bool {
        let options = drawn(self.p, &self.best).run_options;
        self.best.runs.resize(self.p.edges.len(), 0);
        let mut improved = false;
        for (e, &n) in options.iter().enumerate() {
            for pick in 0..n.min(4) {
                if pick as u8 != self.best.runs[e] {
                    let mut o = self.best.clone();
                    o.runs[e] = pick as u8;
                    improved |= self.try_order(o);
                }
            }
        }
        improved
    }
}

/// The order to draw: the ladder's own and barycenter sweeps from it, the
/// best of them improved by passes of transpositions until none helps or
/// the tries run out (tracks first: the other choices hang on them).
pub fn choose(p: &Problem) -> Order {
    let nb = p.neighbours();
    let first = p.initial();
    let max_tries = budget(p.edges.len());
    let mut search = Search { p, score: score(p, &first), best: first.clone(), tries: 1, max_tries };
    let mut o = first;
    for _ in 0..SWEEPS {
        o = p.sweep(&o, &nb);
        search.try_order(o.clone());
    }
    while search.tracks() | search.cells() {}
    while search.entries() | search.cells() | search.runs() {}
    search.best
}
