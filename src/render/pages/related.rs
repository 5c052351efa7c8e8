//! Each story's related stories: up to three sharing its role, origin or
//! tags, found by merging the model's sorted lists.

use super::Renderer;
use crate::model::{Ix, Site};

/// How many entries of each candidate list `related_stories` reads.
const RELATED_SCAN: usize = 200;

/// The lists a story's related stories are drawn from, with their weights:
/// the stories in its role now (2), of its origin and of each tag (1 each).
/// Each list holds story indexes in ascending order, which is newest first.
fn candidate_lists(site: &Site, i: Ix) -> Vec<(&[Ix], usize)> {
    let s = &site.stories[i];
    let find = |list: &[crate::model::Taxon], name: &str| {
        let slug = crate::text::slugify(name);
        list.binary_search_by(|t| t.slug.cmp(&slug)).ok()
    };
    let mut lists = Vec::new();
    if let Some(st) = site.roles.get(&s.role.value) {
        lists.push((&st.now[..], 2));
    }
    if let Some(k) = s.origin.as_deref().and_then(|o| find(&site.origins, o)) {
        lists.push((&site.origins[k].stories[..], 1));
    }
    for t in &s.tags {
        if let Some(k) = find(&site.tags, t) {
            lists.push((&site.tags[k].stories[..], 1));
        }
    }
    lists
}

/// Up to three other stories sharing the role (worth 2), the origin or
/// tags (1 each): most in common first, then newest. Each candidate list is
/// read up to `RELATED_SCAN` entries, so the cost per story stays bounded on
/// large sites; among the newest stories is where a reader wants related
/// ones anyway.
///
/// The lists are sorted, so they are merged in one pass, summing the
/// weights of each story as it comes and keeping the best three: no
/// allocation or sort per story (sorting every candidate was a tenth of a
/// rebuild at 10,000 stories).
fn related_stories(i: Ix, lists: &[(&[Ix], usize)]) -> Vec<Ix> {
    let mut heads: Vec<_> = lists
        .iter()
        .map(|&(list, w)| (list.iter().filter(move |&&j| j != i).take(RELATED_SCAN).peekable(), w))
        .collect();
    // (score, story), best first; stories come in ascending order, so a
    // later story ties with an earlier one of the same score and loses.
    let mut best: [(usize, Ix); 3] = [(0, 0); 3];
    let mut kept = 0;
    while let Some(j) = heads.iter_mut().filter_map(|(h, _)| h.peek().map(|&&j| j)).min() {
        let mut score = 0;
        for (h, w) in &mut heads {
            if h.next_if(|&&k| k == j).is_some() {
                score += *w;
            }
        }
        if kept < 3 || score > best[2].0 {
            let at = best[..kept].iter().position(|&(s, _)| score > s).unwrap_or(kept);
            kept = (kept + 1).min(3);
            best.copy_within(at..kept - 1, at + 1);
            best[at] = (score, j);
        }
    }
    best[..kept].iter().map(|&(_, j)| j).collect()
}

/// Every story's related stories. They depend only on the stories' front
/// matter, so `serve` keeps the whole list while no front matter changed
/// (see [`Renderer::new`]).
pub(super) fn all_related(site: &Site) -> Vec<Vec<Ix>> {
    use rayon::prelude::*;
    (0..site.stories.len()).into_par_iter().map(|i| related_stories(i, &candidate_lists(site, i))).collect()
}

impl Renderer<'_> {
    /// The related stories of story `i` (see [`related_stories`]).
    pub(super) fn related(&self, i: Ix) -> &[Ix] {
        &self.related[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain way: score every candidate, sort by score then age.
    fn related_by_sorting(i: Ix, lists: &[(&[Ix], usize)]) -> Vec<Ix> {
        let mut score = std::collections::BTreeMap::new();
        for &(list, w) in lists {
            for &j in list.iter().filter(|&&j| j != i).take(RELATED_SCAN) {
                *score.entry(j).or_insert(0) += w;
            }
        }
        let mut all: Vec<(usize, Ix)> = score.into_iter().map(|(j, s)| (s, j)).collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        all.into_iter().take(3).map(|(_, j)| j).collect()
    }

    #[test]
    fn merged_related_stories_match_sorting_every_candidate() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        for case in 0..2000 {
            let stories = 1 + next(400);
            let lists: Vec<(Vec<Ix>, usize)> = (0..next(6))
                .map(|k| {
                    let mut l: Vec<Ix> = (0..next(300)).map(|_| next(stories as u64)).collect();
                    l.sort_unstable();
                    l.dedup();
                    (l, if k == 0 { 2 } else { 1 })
                })
                .collect();
            let lists: Vec<(&[Ix], usize)> = lists.iter().map(|(l, w)| (&l[..], *w)).collect();
            let i = next(stories as u64);
            assert_eq!(related_stories(i, &lists), related_by_sorting(i, &lists), "case {case}");
        }
    }
}
