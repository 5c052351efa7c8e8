//! Openings in the model: the live ones (not past their `valid_through` on
//! the build date), each mapped to a ladder role where it can be.
//!
//! An opening maps, in this order: by its own `role`; by the first
//! `[jobs.roles]` pattern its title matches (exact, or a glob with `*`,
//! case-insensitive); by `[jobs.departments]`, to the role of that track
//! whose title is most like the opening's (when alike enough). Otherwise it
//! is unmapped: listed on /jobs/ under "More openings", and `check` says so.

use crate::load::config::JobsConfig;
use crate::load::fields::Date;
use crate::load::jobs::Job;
use crate::load::ladder::Ladder;

#[derive(Debug, Clone)]
pub struct Opening {
    pub job: Job,
    /// The ladder role it maps to, if any.
    pub role: Option<String>,
    pub mapped_by: MappedBy,
}

impl Opening {
    /// The fingerprint of what pages show of the opening (for `serve`'s
    /// reuse of pages): every field but where it is written. Hashed field
    /// by field: formatting 5,000 openings with `{:?}` cost 1% of a build.
    pub fn fingerprint(&self) -> u64 {
        let j = &self.job;
        let salary = j.salary.as_ref().map(|s| (s.min.to_bits(), s.max.to_bits(), &s.currency, &s.period));
        let description = match &j.description {
            crate::load::jobs::Description::Html(h) => (0u8, h),
            crate::load::jobs::Description::Markdown(m) => (1u8, m),
        };
        crate::text::fingerprint(&(
            (&j.id, &j.title, j.role.as_ref().map(|r| &r.value), &j.slug.value, &j.department),
            (&j.locations, j.remote, &j.remote_regions, &j.employment_type, j.date_posted, j.valid_through),
            (&j.apply_url, salary, description, &self.role, self.mapped_by as u8),
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappedBy {
    Role,
    Pattern,
    Department,
    Unmapped,
}

/// How alike (Jaro-Winkler, lower case) a title and a role's title must be
/// for the department hint to pick the role.
const DEPARTMENT_LIKENESS: f64 = 0.75;

/// The live openings, sorted by role (in ladder order, unmapped last), then
/// date posted (newest first), then title and id. `today` is the build date.
pub fn openings(jobs: &[Job], config: &JobsConfig, ladder: Option<&Ladder>, today: Date) -> Vec<Opening> {
    use rayon::prelude::*;
    // Each pattern folded once, not once for every title it is tried on
    // (5,000 titles and 50 patterns made 500,000 folded copies).
    let patterns: Vec<(Glob, &str)> =
        config.roles.iter().map(|(pattern, role)| (Glob::new(&pattern.value), role.value.as_str())).collect();
    let mut out: Vec<Opening> = jobs
        .par_iter()
        .filter(|j| j.valid_through.is_none_or(|v| v >= today))
        .map(|j| {
            let (role, mapped_by) = map(j, &patterns, config, ladder);
            Opening { job: j.clone(), role, mapped_by }
        })
        .collect();
    // Each role's place in the ladder, found once, not by a walk down the
    // ladder on each of the sort's comparisons.
    let mut places: std::collections::HashMap<&str, usize> = Default::default();
    for (k, r) in ladder.iter().flat_map(|l| l.roles.iter().enumerate()) {
        places.entry(r.id.value.as_str()).or_insert(k);
    }
    let rank = |o: &Opening| o.role.as_deref().and_then(|r| places.get(r).copied()).unwrap_or(usize::MAX);
    out.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| b.job.date_posted.cmp(&a.job.date_posted))
            .then_with(|| a.job.title.cmp(&b.job.title))
            .then_with(|| a.job.id.cmp(&b.job.id))
    });
    out
}

/// Each role's openings (indexes into `openings`, in their order): role
/// pages, job pages and every story's call to action look them up.
pub fn by_role(openings: &[Opening]) -> std::collections::BTreeMap<String, Vec<usize>> {
    let mut m: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (i, o) in openings.iter().enumerate() {
        if let Some(r) = &o.role {
            m.entry(r.clone()).or_default().push(i);
        }
    }
    m
}

/// A filter of `/jobs/`: the openings in one place or one track, with
/// a page of their own (`/jobs/location/<slug>/`, `/jobs/track/<id>/`),
/// so a candidate narrows the list with plain links, no JavaScript.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub slug: String,
    pub name: String,
    /// Indexes into the openings, in their order.
    pub openings: Vec<usize>,
}

/// The slug of the remote openings' location filter.
pub const REMOTE: &str = "remote";

/// The openings by location, one group per place (locations whose slugs
/// agree, "Toronto, ON" and "toronto on", are one place, named as first
/// written) and one for remote work, by how many openings they have, then
/// by name.
pub fn by_location(openings: &[Opening]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut add = |slug: String, name: &str, i: usize| {
        if slug.is_empty() {
            return;
        }
        match groups.iter_mut().find(|g| g.slug == slug) {
            Some(g) if g.openings.last() != Some(&i) => g.openings.push(i),
            Some(_) => {}
            None => groups.push(Group { slug, name: name.trim().to_string(), openings: vec![i] }),
        }
    };
    for (i, o) in openings.iter().enumerate() {
        for place in &o.job.locations {
            add(crate::text::slugify(place), place, i);
        }
        if o.job.remote {
            add(REMOTE.to_string(), "Remote", i);
        }
    }
    groups.sort_by(|a, b| b.openings.len().cmp(&a.openings.len()).then_with(|| a.name.cmp(&b.name)));
    groups
}

/// The mapped openings by the track of their role, in the ladder's order
/// of tracks (tracks without openings have no group).
pub fn by_track(openings: &[Opening], ladder: Option<&Ladder>) -> Vec<Group> {
    let Some(l) = ladder else { return Vec::new() };
    l.tracks
        .iter()
        .filter_map(|t| {
            let list: Vec<usize> = (0..openings.len())
                .filter(|&i| {
                    let role = openings[i].role.as_deref();
                    role.and_then(|r| l.roles.iter().find(|x| x.id.value == r))
                        .is_some_and(|r| r.track.value == t.id.value)
                })
                .collect();
            (!list.is_empty()).then(|| Group { slug: t.id.value.clone(), name: t.name.clone(), openings: list })
        })
        .collect()
}

fn map(j: &Job, patterns: &[(Glob, &str)], config: &JobsConfig, ladder: Option<&Ladder>) -> (Option<String>, MappedBy) {
    let Some(l) = ladder else { return (None, MappedBy::Unmapped) };
    if let Some(r) = &j.role {
        return (Some(r.value.clone()), MappedBy::Role);
    }
    let title = Glob::fold(&j.title);
    if let Some((_, role)) = patterns.iter().find(|(pattern, _)| pattern.matches(&title)) {
        return (Some(role.to_string()), MappedBy::Pattern);
    }
    let dept = j.department.as_deref().unwrap_or("").trim();
    if let Some((_, track)) = config.departments.iter().find(|(d, _)| d.value.trim().eq_ignore_ascii_case(dept)) {
        let title = j.title.to_lowercase();
        let best = l
            .roles
            .iter()
            .filter(|r| r.track.value == track.value)
            .map(|r| (strsim::jaro_winkler(&title, &r.title.to_lowercase()), r))
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.id.value.cmp(&a.1.id.value)));
        if let Some((_, r)) = best.filter(|(s, _)| *s >= DEPARTMENT_LIKENESS) {
            return (Some(r.id.value.clone()), MappedBy::Department);
        }
    }
    (None, MappedBy::Unmapped)
}

/// `*` matches any run of characters (none too); everything else matches
/// itself, ignoring case and surrounding spaces.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    Glob::new(pattern).matches(&Glob::fold(text))
}

/// A `[jobs.roles]` pattern, folded (see [`glob_match`]).
struct Glob(Vec<char>);

impl Glob {
    fn new(pattern: &str) -> Glob {
        Glob(Glob::fold(pattern))
    }

    /// A text as patterns compare it: trimmed, lower-case.
    fn fold(text: &str) -> Vec<char> {
        text.trim().to_lowercase().chars().collect()
    }

    /// Whether the folded text `t` matches: the classic greedy match with
    /// one backtrack point per star.
    fn matches(&self, t: &[char]) -> bool {
        let p = &self.0;
        let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
        while ti < t.len() {
            if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
                pi += 1;
                ti += 1;
            } else if pi < p.len() && p[pi] == '*' {
                star = Some(pi);
                mark = ti;
                pi += 1;
            } else if let Some(s) = star {
                pi = s + 1;
                mark += 1;
                ti = mark;
            } else {
                return false;
            }
        }
        p[pi..].iter().all(|&c| c == '*')
    }
}

/// The role most like an unmapped opening's title, for `check`'s hint.
pub fn closest_role<'l>(title: &str, ladder: &'l Ladder) -> Option<&'l crate::load::ladder::Role> {
    let title = title.to_lowercase();
    ladder
        .roles
        .iter()
        .map(|r| (strsim::jaro_winkler(&title, &r.title.to_lowercase()), r))
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.id.value.cmp(&a.1.id.value)))
        .map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("Customer Care Representative*", "Customer Care Representative II – Spanish"));
        assert!(glob_match("customer care representative*", "Customer Care Representative"));
        assert!(glob_match("*Team Lead*", "Senior Team Lead, Nights"));
        assert!(glob_match("Scheduler", " scheduler "));
        assert!(!glob_match("Scheduler", "Scheduler II"));
        assert!(glob_match("A*B*C", "AxxBxxC"));
        assert!(!glob_match("A*B*C", "AxxBxx"));
        assert!(glob_match("*", ""));
    }
}
