//! Which pages a site has and where each lives: what the renderer, the
//! sitemap and the language alternates (see `render::languages`) all read,
//! from the model alone.

use super::Job;
use crate::model::Site;

/// Every page of `s` to render, in a stable order. A language other than
/// the default has no 404 page of its own: the host serves one.
pub fn jobs(s: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::Stories];
    if s.lang == 0 {
        jobs.push(Job::NotFound);
    }
    // No families, no families page (nor a sitemap entry for an empty one).
    if !s.families.is_empty() {
        jobs.push(Job::Families);
    }
    jobs.extend((0..s.stories.len()).map(Job::Story));
    if let Some(l) = &s.ladder {
        jobs.push(Job::Roles);
        jobs.push(Job::Map);
        jobs.extend((0..l.roles.len()).map(Job::Role));
    }
    jobs.extend((0..s.families.len()).map(Job::Family));
    for (kind, list) in [("tags", &s.tags), ("origins", &s.origins)] {
        jobs.push(Job::TaxonIndex(kind));
        jobs.extend((0..list.len()).map(|i| Job::Taxon(kind, i)));
    }
    jobs.extend((0..s.pages.len()).map(Job::Page));
    // No openings, no jobs page (as with families).
    if !s.jobs.is_empty() {
        jobs.push(Job::Jobs);
        for (kind, groups) in [("location", &s.jobs_by_location), ("track", &s.jobs_by_track)] {
            jobs.extend((0..groups.len()).map(|i| Job::JobsIn(kind, i)));
        }
        jobs.extend((0..s.jobs.len()).map(Job::Opening));
    }
    jobs
}

/// The site path of a page in its language's folder (`fr/stories/ana/`),
/// as used in URLs and for the file it is written to.
pub fn path(s: &Site, job: &Job) -> String {
    match job {
        Job::NotFound => page_path(s, job),
        _ => format!("{}{}", s.config.base.lang, page_path(s, job)),
    }
}

/// The path of a page within its language (`stories/ana/`): the same
/// page in two languages has the same one.
pub fn page_path(s: &Site, job: &Job) -> String {
    match *job {
        Job::Home => String::new(),
        Job::Stories => "stories/".into(),
        Job::Story(i) => super::views::story_path(&s.stories[i]),
        Job::Roles => "roles/".into(),
        Job::Role(i) => format!("roles/{}/", s.ladder.as_ref().map_or("", |l| l.roles[i].id.value.as_str())),
        Job::Map => "map/".into(),
        Job::Families => "families/".into(),
        Job::Family(i) => format!("families/{}/", s.families[i].slug),
        Job::TaxonIndex(kind) => format!("{kind}/"),
        Job::Taxon(kind, i) => format!("{kind}/{}/", taxa(s, kind)[i].slug),
        Job::Page(i) => format!("{}/", s.pages[i].slug.value),
        Job::Jobs => "jobs/".into(),
        Job::JobsIn(kind, i) => format!("jobs/{kind}/{}/", job_groups(s, kind)[i].slug),
        Job::Opening(i) => opening_path(s, i),
        Job::NotFound => "404.html".into(),
    }
}

/// Opening `i`'s path within its language (`jobs/agent-4012345/`).
pub fn opening_path(s: &Site, i: usize) -> String {
    format!("jobs/{}/", s.jobs[i].job.slug.value)
}

/// The filters of `/jobs/` of one kind (see [`Job::JobsIn`]).
pub fn job_groups<'s>(s: &'s Site, kind: &str) -> &'s [crate::model::jobs::Group] {
    if kind == "track" {
        &s.jobs_by_track
    } else {
        &s.jobs_by_location
    }
}

pub fn taxa<'s>(s: &'s Site, kind: &str) -> &'s [crate::model::Taxon] {
    if kind == "tags" {
        &s.tags
    } else {
        &s.origins
    }
}

/// The pages the sitemap lists, by path within their language, with a
/// last-modified date. `/jobs/`'s filters are left out: facets of a page
/// that lists every opening, which search engines would crawl as
/// near-duplicates.
pub fn sitemap_entries(s: &Site) -> Vec<(String, Option<String>)> {
    jobs(s)
        .iter()
        .filter(|j| !matches!(j, Job::NotFound | Job::JobsIn(..)))
        .map(|j| {
            let lastmod = match j {
                Job::Story(i) => Some(s.stories[*i].date.to_string()),
                Job::Opening(i) => Some(s.jobs[*i].job.date_posted.to_string()),
                _ => None,
            };
            (page_path(s, j), lastmod)
        })
        .collect()
}
