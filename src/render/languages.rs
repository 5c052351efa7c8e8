//! The languages of a multilingual site as pages see them: which pages
//! exist in which language, for each page's `hreflang` alternates, its
//! `og:locale:alternate` tags and the language switcher, and for the
//! sitemap's `xhtml:link` alternates. The same page in two languages has
//! the same path within its language (`stories/ana/`, see `pages::paths`).
//!
//! The switcher links a page to the same page in each other language when
//! it exists there, else to that language's home. `x-default` points to the
//! default language's page when there is one.

use super::pages::paths;
use crate::load::config::BaseUrl;
use crate::model::Site;
use serde::Serialize;
use std::collections::HashSet;
use std::fmt::Write;

/// One language of the site and its pages.
#[derive(Debug, Clone)]
pub struct Lang {
    /// `hreflang` and `<html lang>`: `fr`, `pt-BR`.
    pub code: String,
    /// Its own name ("Français"), from its UI words.
    pub name: String,
    /// `og:locale` form: `fr_FR`.
    pub locale: String,
    /// Its folder under the base path (`fr/`), empty at the root.
    pub prefix: String,
    pages: HashSet<String>,
    /// The pages the sitemap lists (see `paths::sitemap_entries`).
    entries: Vec<(String, Option<String>)>,
}

/// Every language of a site, the default first. One language: no
/// alternates at all.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    pub list: Vec<Lang>,
    base: Option<BaseUrl>,
}

/// A page in one language, as the template of a page in another sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub code: String,
    pub name: String,
    pub locale: String,
    /// Absolute, for `hreflang` (the language's home when the page does
    /// not exist in it).
    pub url: String,
    /// Root-relative, for the switcher's link.
    pub link: String,
    /// The page's own language.
    pub current: bool,
    /// Whether this page exists in that language.
    pub translated: bool,
}

impl Languages {
    /// Of the models of every language of one site (see `Site::build_all`).
    pub fn new(sites: &[&Site]) -> Languages {
        if sites.len() < 2 {
            return Languages::default();
        }
        let list = sites
            .iter()
            .map(|s| {
                let w = &s.words;
                let own_name = w.lang == crate::i18n::BASE || !w.missing.iter().any(|m| m.key == "nav.language_name");
                let entries = paths::sitemap_entries(s);
                Lang {
                    code: s.config.language.clone(),
                    name: if own_name { w.t("nav.language_name").to_string() } else { s.config.language.clone() },
                    locale: w.formats.og_locale.clone(),
                    prefix: s.config.base.lang.clone(),
                    pages: entries.iter().map(|(p, _)| p.clone()).collect(),
                    entries,
                }
            })
            .collect();
        let mut base = sites[0].config.base.clone();
        base.lang.clear();
        Languages { list, base: Some(base) }
    }

    /// The page at `path` (within its language) of language `current`, in
    /// every language; empty on a site of one language.
    pub fn alternates(&self, current: usize, path: &str) -> Vec<Alternate> {
        let Some(base) = &self.base else { return Vec::new() };
        self.list
            .iter()
            .enumerate()
            .map(|(k, l)| {
                let translated = l.pages.contains(path);
                let target = format!("{}{}", l.prefix, if translated { path } else { "" });
                Alternate {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    locale: l.locale.clone(),
                    url: base.absolute(&target),
                    link: base.link(&target),
                    current: k == current,
                    translated,
                }
            })
            .collect()
    }

    /// The `x-default` of the page at `path`: the default language's, if
    /// the page exists there.
    pub fn x_default(&self, path: &str) -> Option<String> {
        let (base, first) = (self.base.as_ref()?, self.list.first()?);
        first.pages.contains(path).then(|| base.absolute(&format!("{}{path}", first.prefix)))
    }

    /// `sitemap.xml` of every language's pages, each with its alternates
    /// (`xhtml:link`, reciprocal, and `x-default`), sorted by address.
    pub fn sitemap(&self) -> Option<String> {
        let base = self.base.as_ref()?;
        let mut urls: Vec<(String, Option<&String>, &str)> = Vec::new();
        for l in &self.list {
            for (p, lastmod) in &l.entries {
                urls.push((base.absolute(&format!("{}{p}", l.prefix)), lastmod.as_ref(), p));
            }
        }
        urls.sort();
        let mut x = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        let esc = crate::text::escape_xml;
        for (loc, lastmod, p) in urls {
            let _ = write!(x, "  <url>\n    <loc>{}</loc>\n", esc(&loc));
            if let Some(d) = lastmod {
                let _ = writeln!(x, "    <lastmod>{d}</lastmod>");
            }
            for a in self.alternates(0, p).iter().filter(|a| a.translated) {
                let _ = writeln!(
                    x,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    esc(&a.code),
                    esc(&a.url)
                );
            }
            if let Some(d) = self.x_default(p) {
                let _ = writeln!(x, "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>", esc(&d));
            }
            x.push_str("  </url>\n");
        }
        x.push_str("</urlset>\n");
        Some(x)
    }

    /// The page at the site's root when the default language lives in a
    /// folder too: a list of every language's home, which sends browsers
    /// to the default one. `None` when the default language is at the root.
    pub fn root_page(&self, site: &Site) -> Option<String> {
        let base = self.base.as_ref()?;
        let first = self.list.first().filter(|l| !l.prefix.is_empty())?;
        let esc = crate::text::escape_xml;
        let home = base.link(&first.prefix);
        let mut links = String::new();
        for l in &self.list {
            let _ = write!(
                links,
                "<li><a href=\"{}\" lang=\"{}\" hreflang=\"{}\">{}</a></li>",
                esc(&base.link(&l.prefix)),
                esc(&l.code),
                esc(&l.code),
                esc(&l.name)
            );
        }
        let mut alternates = String::new();
        for l in &self.list {
            let _ = writeln!(
                alternates,
                "<link rel=\"alternate\" hreflang=\"{}\" href=\"{}\">",
                esc(&l.code),
                esc(&base.absolute(&l.prefix))
            );
        }
        Some(format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={home}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n{alternates}<link rel=\"alternate\" hreflang=\"x-default\" href=\"{root}\">\n</head>\n<body>\n<main>\n<h1>{choose}</h1>\n<ul>{links}</ul>\n</main>\n</body>\n</html>\n",
            lang = esc(&first.code),
            title = esc(&site.config.title),
            home = esc(&home),
            canonical = esc(&base.absolute(&first.prefix)),
            root = esc(&base.url),
            choose = esc(site.words.t("nav.choose_language")),
        ))
    }
}
