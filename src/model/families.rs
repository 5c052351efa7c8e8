//! Families: groups of stories connected by parent-child links.

use super::{Ix, Relations};
use crate::load::story::Story;

#[derive(Debug, Clone)]
pub struct Family {
    /// The eldest member's slug.
    pub slug: String,
    /// Members, eldest first.
    pub members: Vec<Ix>,
}

/// Connected parent-child groups of two or more, and each story's family.
/// The eldest member has the earliest first `from` year, then the first name
/// in alphabetical order; families are listed by their slug.
pub fn find(stories: &[Story], rel: &[Relations]) -> (Vec<Family>, Vec<Option<usize>>) {
    let mut group: Vec<Option<usize>> = vec![None; stories.len()];
    let mut families = Vec::new();
    for start in 0..stories.len() {
        if group[start].is_some() || (rel[start].parents.is_empty() && rel[start].children.is_empty()) {
            continue;
        }
        let mut members = vec![start];
        group[start] = Some(usize::MAX);
        let mut i = 0;
        while i < members.len() {
            let m = members[i];
            for &n in rel[m].parents.iter().chain(&rel[m].children) {
                if group[n].is_none() {
                    group[n] = Some(usize::MAX);
                    members.push(n);
                }
            }
            i += 1;
        }
        members.sort_by(|&a, &b| age_key(&stories[a]).cmp(&age_key(&stories[b])));
        families.push(Family { slug: stories[members[0]].slug.value.clone(), members });
    }
    families.sort_by(|a, b| a.slug.cmp(&b.slug));
    for (fi, f) in families.iter().enumerate() {
        for &m in &f.members {
            group[m] = Some(fi);
        }
    }
    (families, group)
}

fn age_key(s: &Story) -> (i64, &str, &str) {
    let first = s.path.first().and_then(|st| st.from).unwrap_or(i64::MAX);
    (first, s.name.as_str(), s.slug.value.as_str())
}
