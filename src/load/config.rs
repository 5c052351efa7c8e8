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
    pub images: Images,
    pub jobs: JobsConfig,
    /// `[check]`: the levels of `check`'s warnings and the stale age.
    pub check: super::check::CheckConfig,
    /// Every language of the site, the default (`language`) first (see
    /// `languages`); one entry on a site without `[languages]`.
    pub languages: Vec<super::languages::Language>,
}

/// `[jobs]`: how openings whose ATS titles are not ladder roles map to the
/// ladder (see `model::jobs`).
#[derive(Debug, Clone, Default)]
pub struct JobsConfig {
    /// `[jobs.roles]`: a job title, exact or a glob with `*` ("Customer
    /// Care Representative*"), to a role id; in the file's order, the first
    /// that matches wins.
    pub roles: Vec<(Sp<String>, Sp<String>)>,
    /// `[jobs.departments]`: an ATS department to a track id; an opening of
    /// that department maps to the track's role whose title is most like
    /// the opening's.
    pub departments: Vec<(Sp<String>, Sp<String>)>,
}

/// `[images]`: the image pipeline's limits and its cache (see `crate::media`).
#[derive(Debug, Clone)]
pub struct Images {
    /// Where derived images and share cards are kept, relative to the site
    /// root unless absolute. Default `.storypath/cache`.
    pub cache_dir: Sp<String>,
    /// Larger sources are refused before they are decoded.
    pub max_megapixels: f64,
    /// Cache entries no build has used for this many days are removed at
    /// the end of a build (`cache_max_age = "30d"`); `None` keeps them until
    /// `storypath clean`.
    pub cache_max_age_days: Option<u32>,
}

impl Default for Images {
    fn default() -> Self {
        Images {
            cache_dir: Sp::new(".storypath/cache".into(), 0..0),
            max_megapixels: 40.0,
            cache_max_age_days: Some(90),
        }
    }
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
    /// Path under `static/` of the favicon (SVG, PNG or ICO).
    pub favicon: Option<Sp<String>>,
    /// Path under `static/` of a woff2 font for the site's text.
    pub font: Option<Sp<String>>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
    /// The folder of the pages' language under `path` (`fr/`), empty for
    /// the default language at the root: pages link to pages with
    /// [`BaseUrl::page`], to files (images, styles) with [`BaseUrl::link`].
    pub lang: String,
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
        Ok(BaseUrl { url, path, lang: String::new() })
    }

    /// The absolute URL of a site path like `stories/ana/`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.url, path.trim_start_matches('/'))
    }

    /// The root-relative link of a site path, which works under a subpath.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.path, path.trim_start_matches('/'))
    }

    /// The root-relative link of a page of this language (`roles/agent/`
    /// -> `/careers/fr/roles/agent/`).
    pub fn page(&self, path: &str) -> String {
        format!("{}{}{}", self.path, self.lang, path.trim_start_matches('/'))
    }

    /// The absolute URL of a page of this language.
    pub fn page_absolute(&self, path: &str) -> String {
        format!("{}{}{}", self.url, self.lang, path.trim_start_matches('/'))
    }
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "brand",
    "cta",
    "extra",
    "keep",
    "images",
    "jobs",
    "languages",
    "check",
];

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
                favicon: None,
                font: None,
            },
            cta: None,
            extra: serde_json::Value::Object(Default::default()),
            keep: DEFAULT_KEEP.iter().map(|k| k.to_string()).collect(),
            images: Images::default(),
            jobs: JobsConfig::default(),
            check: Default::default(),
            languages: super::languages::read(&mut Reader::new(FILE, 0), "", None, &Sp::new("en".into(), 0..0)),
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
            let language = r.str(&t, "language").unwrap_or_else(|| Sp::new("en".into(), 0..0));
            let languages = r.table(&t, "languages");
            c.languages = super::languages::read(&mut r, text, languages, &language);
            c.language = c.languages[0].code.value.clone();
            if let Some(s) = r.str(&t, "theme") {
                c.theme = s;
            }
            if let Some((b, _)) = r.table(&t, "brand") {
                r.unknown_keys(b, &["company", "logo", "primary_color", "accent_color", "favicon", "font"], "[brand]");
                if let Some(s) = r.str(b, "company") {
                    c.brand.company = s.value;
                }
                c.brand.logo = r.str(b, "logo");
                c.brand.favicon = r.str(b, "favicon");
                c.brand.font = r.str(b, "font");
                if let Some(f) = &c.brand.font {
                    if !f.value.to_ascii_lowercase().ends_with(".woff2") {
                        r.errors.push(
                            Diagnostic::at(FILE, f.span.clone(), "`font` must be a .woff2 file")
                                .hint("convert the font to WOFF2 (e.g. with woff2_compress) and name it, like font = \"fonts/brand.woff2\""),
                        );
                    }
                }
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
                let at = first_line(text, &span);
                c.cta = read_cta(&mut r, cta, &at, "[cta]");
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
            if let Some((images, _)) = r.table(&t, "images") {
                read_images(&mut r, images, &mut c.images);
            }
            if let Some((check, _)) = r.table(&t, "check") {
                c.check = super::check::read(&mut r, check);
            }
            if let Some((jobs, _)) = r.table(&t, "jobs") {
                r.unknown_keys(jobs, &["roles", "departments"], "[jobs]");
                for (key, slot) in [("roles", &mut c.jobs.roles), ("departments", &mut c.jobs.departments)] {
                    if let Some((table, _)) = r.table(jobs, key) {
                        for (k, _) in table.iter() {
                            let name: &str = k.get_ref();
                            if let Some(v) = r.str(table, name) {
                                slot.push((Sp::new(name.to_string(), r.abs(k.span())), v));
                            }
                        }
                    }
                }
            }
            c.keep.sort();
            c.keep.dedup();
        }
        errors.append(&mut r.errors);
        c
    }
}

/// A call to action, `{ label, url }` (`[cta]`, and a language's `cta`);
/// `at` is where a missing key is reported.
pub(super) fn read_cta(
    r: &mut Reader,
    cta: &toml::de::DeTable<'_>,
    at: &super::fields::Span,
    what: &str,
) -> Option<Cta> {
    r.unknown_keys(cta, &["label", "url"], what);
    let label = r.req_str(cta, "label", at, what);
    let url = r.req_str(cta, "url", at, what);
    let (label, url) = (label?, url?);
    if is_safe_link(&url.value) {
        return Some(Cta { label: label.value, url: url.value });
    }
    r.errors.push(
        Diagnostic::at(FILE, url.span, "the call to action's `url` must be a web link")
            .hint("use an https:// address or a path like /jobs/"),
    );
    None
}

/// `[images]`: cache folder, size limit and cache age.
fn read_images(r: &mut Reader, t: &toml::de::DeTable<'_>, images: &mut Images) {
    r.unknown_keys(t, &["cache_dir", "max_megapixels", "cache_max_age"], "[images]");
    if let Some(dir) = r.str(t, "cache_dir") {
        if dir.value.trim().is_empty() {
            r.errors.push(
                Diagnostic::at(FILE, dir.span.clone(), "`cache_dir` is empty")
                    .hint("name a folder, like cache_dir = \".storypath/cache\""),
            );
        } else {
            images.cache_dir = dir;
        }
    }
    if let Some(mp) = r.int(t, "max_megapixels") {
        if (1..=10_000).contains(&mp.value) {
            images.max_megapixels = mp.value as f64;
        } else {
            r.errors.push(
                Diagnostic::at(FILE, mp.span, "`max_megapixels` must be between 1 and 10000")
                    .hint("write it like max_megapixels = 40"),
            );
        }
    }
    if let Some(age) = r.str(t, "cache_max_age") {
        match parse_days(&age.value) {
            Some(d) => images.cache_max_age_days = (d > 0).then_some(d),
            None => {
                r.errors.push(
                    Diagnostic::at(FILE, age.span.clone(), format!("`cache_max_age` `{}` is not a duration", age.value))
                        .hint("write days, weeks or years, like cache_max_age = \"30d\", \"8w\" or \"1y\"; \"0d\" keeps entries until `storypath clean`"),
                );
            }
        }
    }
}

/// `"30d"`, `"8w"`, `"1y"` as days.
fn parse_days(text: &str) -> Option<u32> {
    let t = text.trim();
    let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit())?);
    let n: u32 = n.parse().ok()?;
    let per = match unit.trim() {
        "d" => 1,
        "w" => 7,
        "y" => 365,
        _ => return None,
    };
    n.checked_mul(per)
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
