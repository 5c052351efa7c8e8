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
}

/// The choice: tracks left to right, and per track and level the role in
/// each slot (sub-column) of the band.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub tracks: Vec<usize>,
    /// `cells[track][level - 1][slot]`.
    pub cells: Vec<Vec<Vec<Option<usize>>>>,
}

/// How many drawings the search may route.
const MAX_TRIES: usize = 150;
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

    /// The ladder's own order: tracks as listed, roles as listed.
    fn initial(&self) -> Order {
        let levels = self.max_level as usize;
        let mut cells: Vec<Vec<Vec<Option<usize>>>> = vec![vec![Vec::new(); levels]; self.tracks];
        for (i, n) in self.nodes.iter().enumerate() {
            if let Some(t) = n.track {
                cells[t][n.level as usize - 1].push(Some(i));
            }
        }
        for track in &mut cells {
            let slots = track.iter().map(Vec::len).max().unwrap_or(0).max(1);
            for cell in track.iter_mut() {
                cell.resize(slots, None);
            }
        }
        Order { tracks: (0..self.tracks).collect(), cells }
    }

    /// Columns and rows of every node, entry points placed under the
    /// columns they lead into, in as few rows as hold them.
    pub fn place(&self, o: &Order) -> Placement {
        let levels = self.max_level as usize;
        let mut at = vec![(0usize, 0usize); self.nodes.len()];
        let mut bands = Vec::with_capacity(o.tracks.len());
        let mut col = 0;
        for &t in &o.tracks {
            let slots = o.cells[t].first().map_or(1, Vec::len);
            for (l, cell) in o.cells[t].iter().enumerate() {
                for (s, n) in cell.iter().enumerate() {
                    if let Some(n) = *n {
                        at[n] = (col + s, levels - 1 - l);
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
            let (_, c, r) = best.expect("entry rows hold every entry");
            taken[r * cols + c] = true;
            at[e] = (c, levels + r);
        }
        let entry_row = (0..rows).map(|r| r >= levels).collect();
        Placement { cols, rows, at, bands, entry_row }
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

fn score(p: &Problem, o: &Order) -> Score {
    let pl = p.place(o);
    let g = route::draw(p, &pl, 0.0, 0.0, &|_| Sizes { role_h: 58.0, entry_h: 46.0 });
    Score(route::crossings(p, &g), route::length(&g))
}

fn better(a: Score, b: Score) -> bool {
    a.0 < b.0 || (a.0 == b.0 && a.1 < b.1 - 0.5)
}

/// The order to draw.
pub fn choose(p: &Problem) -> Order {
    let nb = p.neighbours();
    let mut tries = 0;
    let mut best = p.initial();
    let mut best_score = score(p, &best);
    tries += 1;
    let mut o = best.clone();
    for _ in 0..SWEEPS {
        o = p.sweep(&o, &nb);
        let s = score(p, &o);
        tries += 1;
        if better(s, best_score) {
            (best, best_score) = (o.clone(), s);
        }
    }
    // Transpositions: neighbouring tracks, then neighbouring slots of a cell.
    let mut improved = true;
    while improved && tries < MAX_TRIES {
        improved = false;
        for i in 0..best.tracks.len().saturating_sub(1) {
            if tries >= MAX_TRIES {
                break;
            }
            let mut o = best.clone();
            o.tracks.swap(i, i + 1);
            let s = score(p, &o);
            tries += 1;
            if better(s, best_score) {
                (best, best_score, improved) = (o, s, true);
            }
        }
        for t in 0..best.cells.len() {
            for l in 0..best.cells[t].len() {
                for s in 0..best.cells[t][l].len().saturating_sub(1) {
                    if tries >= MAX_TRIES || (best.cells[t][l][s].is_none() && best.cells[t][l][s + 1].is_none()) {
                        continue;
                    }
                    let mut o = best.clone();
                    o.cells[t][l].swap(s, s + 1);
                    let sc = score(p, &o);
                    tries += 1;
                    if better(sc, best_score) {
                        (best, best_score, improved) = (o, sc, true);
                    }
                }
            }
        }
    }
    best
}
