//! `site.toml`: the site's title, base URL, theme, brand and call to action.

use super::fields::{first_line, Reader, Sp};
use crate::diagnostics::Diagnostic;
use crate::text::is_hex_color;

pub const FILE: &str = "site.toml";

/// Used when `site.toml` has no `base_url`: the address `storypath serve` uses.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:1111/";

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base: BaseUrl,
    pub language: String,
    pub theme: Sp<String>,
    pub brand: Brand,
    pub cta: Option<Cta>,
    pub extra: serde_json::Value,
    /// Paths in the output folder that a build keeps from the previous
    /// output ([`DEFAULT_KEEP`] and site.toml's `keep`): a deploy checkout's
    /// `.git`, a host's `CNAME`.
    pub keep: Vec<String>,
}

/// What a build keeps in the output folder unless told more: the files
/// that deploy checkouts and static hosts put there.
pub const DEFAULT_KEEP: &[&str] = &[".git", "CNAME", ".nojekyll", "_redirects"];

#[derive(Debug, Clone)]
pub struct Brand {
    pub company: String,
    /// Path under `static/`.
    pub logo: Option<Sp<String>>,
    pub primary_color: String,
    pub accent_color: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Cta {
    pub label: String,
    pub url: String,
}

/// An absolute base URL, split so pages can link by path (`/careers/x/`) and
/// canonical tags can use the full address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Always ends with `/`.
    pub url: String,
    /// The path part, always starting and ending with `/`.
    pub path: String,
}

impl BaseUrl {
    /// Parses an absolute http(s) URL; the error is a sentence for the user.
    pub fn parse(raw: &str) -> Result<BaseUrl, String> {
        let parsed = url::Url::parse(raw.trim()).map_err(|e| format!("`{raw}` is not an absolute URL ({e})"))?;
        if parsed.scheme() != "http" && parsed.scheme() != "https" {
            return Err(format!("`{raw}` must start with https:// or http://"));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(format!("`{raw}` has no host name"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(format!("`{raw}` must not have a query (?) or fragment (#)"));
        }
        let mut url = parsed.to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        let mut path = parsed.path().to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl { url, path })
    }

    /// The absolute URL of a site path like `stories/ana/`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.url, path.trim_start_matches('/'))
    }

    /// The root-relative link of a site path, which works under a subpath.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.path, path.trim_start_matches('/'))
    }
}

const KEYS: &[&str] = &["title", "description", "base_url", "language", "theme", "brand", "cta", "extra", "keep"];

impl Config {
    pub fn defaults() -> Config {
        Config {
            title: "Careers".into(),
            description: String::new(),
            base: BaseUrl::parse(DEFAULT_BASE_URL).expect("default base URL is valid"),
            language: "en".into(),
            theme: Sp::new("horizon".into(), 0..0),
            brand: Brand {
                company: "Careers".into(),
                logo: None,
                primary_color: "#14532d".into(),
                accent_color: "#f59e0b".into(),
            },
            cta: None,
            extra: serde_json::Value::Object(Default::default()),
            keep: DEFAULT_KEEP.iter().map(|k| k.to_string()).collect(),
        }
    }

    /// Reads `site.toml`'s text; errors are added to `errors`.
    pub fn parse(text: &str, errors: &mut Vec<Diagnostic>) -> Config {
        let mut c = Config::defaults();
        let mut r = Reader::new(FILE, 0);
        if let Some(t) = r.parse(text) {
            r.unknown_keys(&t, KEYS, "site.toml");
            if let Some(s) = r.str(&t, "title") {
                c.title = s.value.clone();
                c.brand.company = s.value;
            }
            if let Some(s) = r.str(&t, "description") {
                c.description = s.value;
            }
            if let Some(s) = r.str(&t, "base_url") {
                match BaseUrl::parse(&s.value) {
                    Ok(b) => c.base = b,
                    Err(e) => r.errors.push(
                        Diagnostic::at(FILE, s.span, format!("bad `base_url`: {e}"))
                            .hint("write the full address, e.g. base_url = \"https://example.org/careers/\""),
                    ),
                }
            }
            if let Some(s) = r.str(&t, "language") {
                c.language = s.value;
            }
            if let Some(s) = r.str(&t, "theme") {
                c.theme = s;
            }
            if let Some((b, _)) = r.table(&t, "brand") {
                r.unknown_keys(b, &["company", "logo", "primary_color", "accent_color"], "[brand]");
                if let Some(s) = r.str(b, "company") {
                    c.brand.company = s.value;
                }
                c.brand.logo = r.str(b, "logo");
                for (key, slot) in
                    [("primary_color", &mut c.brand.primary_color), ("accent_color", &mut c.brand.accent_color)]
                {
                    if let Some(s) = r.str(b, key) {
                        if is_hex_color(&s.value) {
                            *slot = s.value;
                        } else {
                            r.errors.push(
                                Diagnostic::at(FILE, s.span, format!("`{key}` must be a hex colour"))
                                    .hint(format!("write it like {key} = \"#14532d\"")),
                            );
                        }
                    }
                }
            }
            if let Some((cta, span)) = r.table(&t, "cta") {
                r.unknown_keys(cta, &["label", "url"], "[cta]");
                let at = first_line(text, &span);
                let label = r.req_str(cta, "label", &at, "[cta]");
                let url = r.req_str(cta, "url", &at, "[cta]");
                if let (Some(label), Some(url)) = (label, url) {
                    if is_safe_link(&url.value) {
                        c.cta = Some(Cta { label: label.value, url: url.value });
                    } else {
                        r.errors.push(
                            Diagnostic::at(FILE, url.span, "the call to action's `url` must be a web link")
                                .hint("use an https:// address or a path like /jobs/"),
                        );
                    }
                }
            }
            if let Some((extra, _)) = r.table(&t, "extra") {
                c.extra = r.json(extra);
            }
            for k in r.str_list(&t, "keep") {
                if crate::text::is_plain_relative(k.value.trim_end_matches('/')) {
                    c.keep.push(k.value.trim_end_matches('/').to_string());
                } else {
                    r.errors.push(
                        Diagnostic::at(FILE, k.span, format!("`keep` entry `{}` is not a path inside the output folder", k.value.escape_debug()))
                            .hint("name a file or folder of the output by its path from there, like keep = [\"CNAME\", \"downloads\"]"),
                    );
                }
            }
            c.keep.sort();
            c.keep.dedup();
        }
        errors.append(&mut r.errors);
        c
    }
}

/// Links we accept from configuration: web, mail and site-relative ones.
pub fn is_safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains('/') => matches!(scheme, "http" | "https" | "mailto"),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_subpath() {
        let b = BaseUrl::parse("https://example.org/careers").unwrap();
        assert_eq!(b.url, "https://example.org/careers/");
        assert_eq!(b.path, "/careers/");
        assert_eq!(b.link("stories/a/"), "/careers/stories/a/");
        assert_eq!(b.absolute("/feed.xml"), "https://example.org/careers/feed.xml");
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("ftp://example.org/").is_err());
    }

    #[test]
    fn bad_values_are_reported_together() {
        let mut errors = Vec::new();
        let c = Config::parse(
            "title = \"X\"\nbase_url = \"nope\"\nthem = \"horizon\"\n[brand]\nprimary_color = \"red\"\n",
            &mut errors,
        );
        assert_eq!(c.title, "X");
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn unsafe_cta_links_are_refused() {
        assert!(!is_safe_link("javascript:alert(1)"));
        assert!(is_safe_link("https://jobs.example.org"));
        assert!(is_safe_link("/jobs/"));
    }
}
