//! Static files may not take the place of a file storypath generates: a
//! `static/index.html` or `static/sitemap.xml` would otherwise silently
//! replace the home page or the sitemap. A site's static file may replace a
//! theme's static file (that is how a site restyles a theme), but neither
//! may replace a page, a feed or a share card.

use super::pages::{Job, Renderer};
use super::theme::{Source, Theme};
use crate::diagnostics::Diagnostic;
use crate::model::Site;

/// Site-wide files every build writes, whatever the site holds.
const SITE_FILES: &[(&str, &str)] = &[
    ("feed.xml", "the stories' Atom feed"),
    ("sitemap.xml", "the sitemap"),
    ("robots.txt", "robots.txt"),
    ("map.svg", "the standalone path map"),
    (super::search::FILE, "the search index"),
];

/// Every static file (the site's `static/`, then the theme's) whose output
/// path is one storypath generates, as an error naming both.
pub fn check(site: &Site, theme: &Theme, r: &Renderer, jobs: &[Job]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let own: std::collections::BTreeSet<&str> = site.static_files.iter().map(String::as_str).collect();
    let is_static = |path: &str| own.contains(path) || theme.statics.contains_key(path);
    let mut report = |path: &str, generated: String| {
        let from = if own.contains(path) {
            format!("static/{path}")
        } else {
            match theme.statics.get(path) {
                Some(Source::Disk(p)) => {
                    p.strip_prefix(&site.root).map_or_else(|_| p.display().to_string(), crate::load::slash_path)
                }
                Some(Source::Embedded(_)) => format!("(built-in theme)/static/{path}"),
                None => return,
            }
        };
        errors.push(
            Diagnostic::new(&from, None, format!("{from} would replace {generated}"))
                .label(format!("both are written to {path}"))
                .hint("rename or remove the static file; change a generated page through its template instead"),
        );
    };
    // Every page is written as an `.html` file: without a static one (the
    // usual case) no page can clash, and `serve` skips the pass over every
    // page on each save.
    let any_html = own.iter().copied().chain(theme.statics.keys().map(String::as_str)).any(|p| p.ends_with(".html"));
    for job in jobs.iter().filter(|_| any_html) {
        let path = r.output_path(job);
        if is_static(&path) {
            report(&path, describe(site, job, &path));
        }
    }
    for (path, what) in SITE_FILES {
        if is_static(path) {
            report(path, format!("{what} that storypath writes"));
        }
    }
    let og = site.static_files.iter().chain(theme.statics.keys()).filter(|p| p.starts_with("og/"));
    for path in og.cloned().collect::<Vec<_>>() {
        report(&path, "storypath's share images folder (og/)".to_string());
    }
    errors
}

/// The generated page at `path`, with the file it comes from where it has one.
fn describe(site: &Site, job: &Job, path: &str) -> String {
    match *job {
        Job::Story(i) => format!("the page of {}", site.stories[i].file),
        Job::Page(i) => format!("the page of {}", site.pages[i].file),
        Job::Role(_) => format!("a role page made from {}", crate::load::ladder::FILE),
        Job::Home => "the home page that storypath writes".into(),
        _ => format!("the page {path} that storypath writes"),
    }
}
