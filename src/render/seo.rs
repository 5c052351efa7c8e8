//! Per-page metadata: canonical URL, Open Graph and Twitter card fields, and
//! the schema.org JSON-LD that fits each kind of page.

use super::views::Card;
use crate::load::ladder::Role;
use crate::load::story::Story;
use crate::model::Site;
use crate::text::{json_for_script, truncate_chars};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    pub title: String,
    /// `<title>`: the page title and the site title.
    pub full_title: String,
    pub description: String,
    pub canonical: String,
    /// Open Graph type: `website` or `article`.
    pub og_type: String,
    /// The share card's absolute URL: the page's own (stories, roles), else
    /// the site's ([`PageMeta::or_image`]): every page has one, never an
    /// SVG (social networks show none).
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// Width and height (1200×630 for every card).
    pub image_size: Option<(u32, u32)>,
    /// `image/png` (drawn cards) or `image/jpeg` (photo cards).
    pub image_type: Option<&'static str>,
    /// JSON-LD, already safe to put inside `<script>`.
    pub json_ld: String,
}

impl PageMeta {
    pub fn new(site: &Site, path: &str, title: &str, description: &str, ld: Value) -> PageMeta {
        let full_title =
            if title == site.config.title { title.to_string() } else { format!("{title} · {}", site.config.title) };
        let description =
            if description.trim().is_empty() { site.config.description.clone() } else { description.to_string() };
        PageMeta {
            title: title.to_string(),
            full_title,
            description: truncate_chars(&description, 200),
            canonical: site.config.base.absolute(path),
            og_type: "website".into(),
            image: None,
            image_alt: None,
            image_size: None,
            image_type: None,
            json_ld: json_for_script(&ld),
        }
    }

    pub fn article(mut self) -> Self {
        self.og_type = "article".into();
        self
    }

    /// A share card (see `share`) as the page's image: `url` absolute.
    pub fn share_card(mut self, url: String, alt: String, mime: &'static str) -> Self {
        self.image = Some(url);
        self.image_alt = Some(alt);
        self.image_size = Some((super::share::WIDTH, super::share::HEIGHT));
        self.image_type = Some(mime);
        self
    }

    /// The site's card (`url`, `alt`) unless the page has its own.
    pub fn or_image(self, url: &str, alt: &str) -> Self {
        if self.image.is_some() {
            self
        } else {
            self.share_card(url.to_string(), alt.to_string(), "image/png")
        }
    }
}

/// The Organization, with `logo` an absolute URL of a raster (see
/// [`logo_url`]).
pub fn organization(site: &Site, logo: Option<&str>) -> Value {
    let c = &site.config;
    let mut org = json!({ "@type": "Organization", "name": c.brand.company, "url": c.base.url });
    if let Some(logo) = logo {
        org["logo"] = json!(logo);
    }
    org
}

/// The Organization's `logo` (absolute URL). Google takes a raster logo of
/// at least 112×112 that reads on white, so: a raster logo as the image
/// pipeline publishes it (its largest PNG or JPEG); for an SVG logo (or
/// none), the 180×180 apple-touch icon (`icons`: a square logo's own
/// raster, else the company's monogram), a square mark that reads at any
/// size, rather than the 1200×630 site card, whose text is too small at
/// logo sizes.
pub fn logo_url(site: &Site, touch_icon: &str) -> String {
    let c = &site.config;
    let raster = c.brand.logo.as_ref().and_then(|l| site.media.picture(&l.value, crate::media::Use::Logo));
    match raster.filter(|p| !p.svg) {
        Some(p) => c.base.absolute(&p.full),
        None => c.base.absolute(touch_icon),
    }
}

pub fn home(site: &Site, logo: Option<&str>) -> Value {
    let mut org = organization(site, logo);
    org["@context"] = json!("https://schema.org");
    org["description"] = json!(site.config.description);
    json!([
        org,
        { "@context": "https://schema.org", "@type": "WebSite", "name": site.config.title, "url": site.config.base.url,
          "inLanguage": site.config.language }
    ])
}

/// A CollectionPage whose main entity is an ItemList of the given links.
/// Items listed in an index page's JSON-LD; `numberOfItems` still counts
/// them all. Search engines read the first entries of a list, and a site of
/// 10,000 stories would otherwise put a megabyte of JSON in its index page.
pub const ITEM_LIST_MAX: usize = 100;

pub fn item_list(site: &Site, path: &str, name: &str, items: &[(String, String)]) -> Value {
    let elements: Vec<Value> = items
        .iter()
        .take(ITEM_LIST_MAX)
        .enumerate()
        .map(|(i, (n, url))| json!({ "@type": "ListItem", "position": i + 1, "name": n, "url": site.config.base.absolute(url.trim_start_matches(&site.config.base.path)) }))
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "url": site.config.base.absolute(path),
        "mainEntity": { "@type": "ItemList", "numberOfItems": items.len(), "itemListElement": elements }
    })
}

pub fn cards_list<'c>(site: &Site, path: &str, name: &str, cards: impl IntoIterator<Item = &'c Card>) -> Value {
    let items: Vec<(String, String)> =
        cards.into_iter().map(|c| (format!("{}: {}", c.name, c.title), c.url.clone())).collect();
    item_list(site, path, name, &items)
}

pub fn story(site: &Site, s: &Story, card: &Card, logo: Option<&str>) -> Value {
    let url = site.config.base.absolute(&super::views::story_path(s));
    let mut person = json!({ "@type": "Person", "name": s.name, "jobTitle": card.role.name,
        "worksFor": { "@type": "Organization", "name": site.config.brand.company } });
    if let Some(loc) = &s.location {
        person["homeLocation"] = json!({ "@type": "Place", "name": loc });
    }
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": s.title,
        "datePublished": s.date.to_string(),
        "url": url,
        "mainEntityOfPage": url,
        "about": person,
        "description": card.excerpt,
        "publisher": organization(site, logo),
        "inLanguage": site.config.language,
    });
    // The published photo (the original is not copied to the output).
    if let Some(p) = &card.photo {
        article["image"] = json!(site.config.base.absolute(&p.full));
        article["about"]["image"] = json!(site.config.base.absolute(&p.full));
    }
    if !s.tags.is_empty() {
        article["keywords"] = json!(s.tags.join(", "));
    }
    article
}

pub fn occupation(site: &Site, r: &Role, track_name: &str) -> Value {
    let mut o = json!({
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": r.title,
        "description": r.summary,
        "occupationalCategory": track_name,
        "url": site.config.base.absolute(&format!("roles/{}/", r.id.value)),
    });
    if !r.skills.is_empty() {
        o["skills"] = json!(r.skills.join(", "));
    }
    if let Some(p) = &r.pay {
        // A MonetaryAmount whose QuantitativeValue carries the range and its
        // unit (YEAR, MONTH, WEEK, DAY, HOUR), as salary ranges are usually marked up.
        o["estimatedSalary"] = json!({
            "@type": "MonetaryAmount",
            "currency": p.currency,
            "value": { "@type": "QuantitativeValue", "minValue": p.min, "maxValue": p.max, "unitText": p.period.to_uppercase() },
        });
    }
    o
}

pub fn web_page(site: &Site, path: &str, name: &str) -> Value {
    json!({ "@context": "https://schema.org", "@type": "WebPage", "name": name, "url": site.config.base.absolute(path),
        "isPartOf": { "@type": "WebSite", "name": site.config.title, "url": site.config.base.url } })
}
