//! Machine-readable files: the Atom feed of stories, the sitemap and
//! robots.txt. Written directly (not through templates) so they are always
//! well-formed XML with absolute URLs.

use super::views::story_path;
use crate::model::Site;
use crate::text::escape_xml as esc;
use std::fmt::Write;

/// Atom feed of the newest 50 stories. `updated` is the newest story's date,
/// never the build time, so builds stay byte-identical.
pub fn atom(site: &Site, excerpts: &[String]) -> String {
    let base = &site.config.base;
    let updated = site.stories.first().map_or_else(|| "1970-01-01".to_string(), |s| s.date.to_string());
    let mut x = String::new();
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n  <subtitle>{sub}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n  <id>{feed}</id>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{company}</name></author>\n",
        lang = esc(&site.config.language),
        title = esc(&site.config.title),
        sub = esc(&site.config.description),
        feed = esc(&base.page_absolute("feed.xml")),
        home = esc(&base.url),
        company = esc(&site.config.brand.company),
    );
    for (s, excerpt) in site.stories.iter().zip(excerpts).take(50) {
        let url = base.page_absolute(&story_path(s));
        let _ = write!(
            x,
            "  <entry>\n    <title>{title}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    <id>{url}</id>\n    <published>{d}T00:00:00Z</published>\n    <updated>{d}T00:00:00Z</updated>\n    <author><name>{name}</name></author>\n    <summary>{summary}</summary>\n",
            title = esc(&s.title),
            url = esc(&url),
            d = s.date,
            name = esc(&s.name),
            summary = esc(excerpt),
        );
        for t in &s.tags {
            let _ = writeln!(x, "    <category term=\"{}\" label=\"{}\"/>", esc(&crate::text::slugify(t)), esc(t));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// Atom feed of the open positions, newest first. `updated` is the newest
/// opening's posting date, so builds stay byte-identical. `None` when there
/// are none (no file then, as no page).
pub fn jobs_atom(site: &Site) -> Option<String> {
    let base = &site.config.base;
    let mut openings: Vec<&crate::model::jobs::Opening> = site.jobs.iter().collect();
    openings.sort_by(|a, b| b.job.date_posted.cmp(&a.job.date_posted).then_with(|| a.job.id.cmp(&b.job.id)));
    let updated = openings.first()?.job.date_posted;
    let mut x = String::new();
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{jobs}\"/>\n  <id>{feed}</id>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{company}</name></author>\n",
        lang = esc(&site.config.language),
        title = esc(&site.words.tf("jobs.feed_title", &[("site", &site.config.title)])),
        feed = esc(&base.page_absolute("jobs.xml")),
        jobs = esc(&base.page_absolute("jobs/")),
        company = esc(&site.config.brand.company),
    );
    for o in openings {
        let j = &o.job;
        let url = base.page_absolute(&format!("jobs/{}/", j.slug.value));
        let mut summary = super::views::job_places(&site.words, j);
        if let Some(r) = &o.role {
            summary = format!("{}: {summary}", site.role_title(r));
        }
        let _ = write!(
            x,
            "  <entry>\n    <title>{title}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    <id>{url}</id>\n    <published>{d}T00:00:00Z</published>\n    <updated>{d}T00:00:00Z</updated>\n    <summary>{summary}</summary>\n  </entry>\n",
            title = esc(&j.title),
            url = esc(&url),
            d = j.date_posted,
            summary = esc(&summary),
        );
    }
    x.push_str("</feed>\n");
    Some(x)
}

/// The sitemap of every HTML page (not 404), sorted by URL.
pub fn sitemap(site: &Site, paths: &[(String, Option<String>)]) -> String {
    let mut sorted: Vec<&(String, Option<String>)> = paths.iter().collect();
    sorted.sort();
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (p, lastmod) in sorted {
        let _ = write!(x, "  <url>\n    <loc>{}</loc>\n", esc(&site.config.base.page_absolute(p)));
        if let Some(d) = lastmod {
            let _ = writeln!(x, "    <lastmod>{d}</lastmod>");
        }
        x.push_str("  </url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

pub fn robots(site: &Site) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", site.config.base.absolute("sitemap.xml"))
}
