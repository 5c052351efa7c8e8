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
    /// The page's schema.org nodes, made into `json_ld` by
    /// [`PageMeta::finish`] with its breadcrumbs.
    #[serde(skip)]
    pub ld: Value,
    /// JSON-LD, already safe to put inside `<script>`.
    pub json_ld: String,
    /// The page in every language of the site (see `languages`): its
    /// `hreflang` alternates, `og:locale:alternate` tags and the language
    /// switcher. Empty on a site of one language.
    pub languages: Vec<super::languages::Alternate>,
    /// The `x-default` alternate: the default language's page, if any.
    pub x_default: Option<String>,
}

impl PageMeta {
    pub fn new(site: &Site, path: &str, title: &str, description: &str, ld: Value) -> PageMeta {
        let full_title =
            if title == site.config.title { title.to_string() } else { format!("{title} · {}", site.config.title) };
        let description =
            if description.trim().is_empty() { site.config.description.clone() } else { description.to_string() };
        let mut ld = ld;
        in_language(&mut ld, &site.config.language);
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
            ld,
            json_ld: String::new(),
            languages: Vec::new(),
            x_default: None,
        }
    }

    /// Writes `json_ld`: the page's node(s) and its BreadcrumbList (see
    /// [`breadcrumbs`]) in one block. Several nodes are a top-level array
    /// of nodes that each carry `@context`, which Google reads as it reads
    /// `@graph`; `@graph` would hide every node from
    /// structured-data-testing-tool (it files nodes under their top-level
    /// `@type`), and so from `tests/structured_data.rs`.
    pub fn finish(mut self, crumbs: Option<Value>) -> Self {
        let mut nodes = match std::mem::take(&mut self.ld) {
            Value::Array(nodes) => nodes,
            Value::Null => Vec::new(),
            node => vec![node],
        };
        nodes.extend(crumbs);
        self.json_ld = match nodes.len() {
            0 => json_for_script(&Value::Null),
            1 => json_for_script(&nodes[0]),
            _ => json_for_script(&Value::Array(nodes)),
        };
        self
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

/// The Organization, with `logo` an ImageObject (see [`logo`]).
pub fn organization(site: &Site, logo: Option<&Value>) -> Value {
    let c = &site.config;
    let mut org = json!({ "@type": "Organization", "name": c.brand.company, "url": c.base.url });
    if let Some(logo) = logo {
        org["logo"] = logo.clone();
    }
    org
}

/// The side of the apple-touch icon `icons` draws (180×180).
const TOUCH_ICON_SIDE: u32 = 180;

/// An ImageObject: Google's Article and Organization guidance reads a
/// logo's and an image's `url`, `width` and `height` from one.
fn image_object(url: String, size: Option<(u32, u32)>) -> Value {
    let mut o = json!({ "@type": "ImageObject", "url": url });
    if let Some((w, h)) = size {
        o["width"] = json!(w);
        o["height"] = json!(h);
    }
    o
}

/// The Organization's `logo`, an ImageObject with an absolute URL and its
/// size. Google takes a raster logo of at least 112×112 that reads on
/// white, so: a raster logo as the image pipeline publishes it (its
/// largest PNG or JPEG); for an SVG logo (or none), the 180×180
/// apple-touch icon (`touch_icon`: a square logo's own raster, else the
/// company's monogram), a square mark that reads at any size, rather than
/// the 1200×630 site card, whose text is too small at logo sizes.
pub fn logo(site: &Site, touch_icon: &str) -> Value {
    let c = &site.config;
    let raster = c.brand.logo.as_ref().and_then(|l| site.media.picture(&l.value, crate::media::Use::Logo));
    match raster.filter(|p| !p.svg) {
        Some(p) => image_object(c.base.absolute(&p.full), Some((p.full_width, p.full_height))),
        None => image_object(c.base.absolute(touch_icon), Some((TOUCH_ICON_SIDE, TOUCH_ICON_SIDE))),
    }
}

pub fn home(site: &Site, logo: Option<&Value>) -> Value {
    let mut org = organization(site, logo);
    org["@context"] = json!("https://schema.org");
    org["description"] = json!(site.config.description);
    json!([
        org,
        { "@context": "https://schema.org", "@type": "WebSite", "name": site.config.title, "url": site.config.base.page_absolute(""),
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

/// A story's Article, about its Person and by them: Google's Article
/// guidance asks for `author`, `image`, `datePublished`, `dateModified`
/// and a publisher with a logo. `image` is the page's share card
/// (`card_image`: absolute URL and type; 1200×630, a raster, on every
/// story); the published photo, when there is one, is the Person's.
///
/// `dateModified` is the story's `date`: the model knows no later one (the
/// front matter has a publication date only, and a file's modification
/// time would make two builds of the same input differ).
pub fn story(site: &Site, s: &Story, card: &Card, logo: Option<&Value>, card_image: (&str, &str)) -> Value {
    let url = site.config.base.page_absolute(&super::views::story_path(s));
    let mut person = json!({ "@type": "Person", "name": s.name, "jobTitle": card.role.name,
        "worksFor": { "@type": "Organization", "name": site.config.brand.company } });
    if let Some(loc) = &s.location {
        person["homeLocation"] = json!({ "@type": "Place", "name": loc });
    }
    // The published photo (the original is not copied to the output).
    if let Some(p) = &card.photo {
        person["image"] = image_object(site.config.base.absolute(&p.full), Some((p.full_width, p.full_height)));
    }
    let mut image = image_object(card_image.0.to_string(), Some((super::share::WIDTH, super::share::HEIGHT)));
    image["encodingFormat"] = json!(card_image.1);
    let date = s.date.to_string();
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": s.title,
        "datePublished": date,
        "dateModified": date,
        "url": url,
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        // The person tells their own story: the author, with their page.
        "author": { "@type": "Person", "name": s.name, "url": url },
        "about": person,
        "image": image,
        "description": card.excerpt,
        "publisher": organization(site, logo),
        "inLanguage": site.config.language,
    });
    if !s.tags.is_empty() {
        article["keywords"] = json!(s.tags.join(", "));
    }
    article
}

/// A role's Occupation, with what Google's estimated-salary guidance
/// requires and recommends as far as the ladder knows it: `name`,
/// `description`, `skills`, `occupationalCategory` (the track),
/// `mainEntityOfPage`, and `estimatedSalary` from `pay`.
///
/// Left out, because nothing in the model says them and a made-up value
/// would be worse than none: `occupationLocation` (Google requires it for
/// the salary rich result, but site.toml names no place, and a story's
/// `location` is where one person lives, not where a pay range applies),
/// `sampleSize` (the range is the company's, not a survey of salaries),
/// `median` and percentiles (a range is not a distribution), and
/// `qualifications`, `responsibilities`, `experienceRequirements` and
/// `educationRequirements` (the ladder has a summary and skills only). A
/// role without `pay` gets a valid Occupation without `estimatedSalary`,
/// and is then not eligible for the salary rich result.
pub fn occupation(site: &Site, r: &Role, track_name: &str, description: &str) -> Value {
    let url = site.config.base.page_absolute(&format!("roles/{}/", r.id.value));
    let mut o = json!({
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": r.title,
        "description": description,
        "occupationalCategory": track_name,
        "url": url,
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
    });
    if !r.skills.is_empty() {
        o["skills"] = json!(r.skills);
    }
    if let Some(p) = &r.pay {
        // The base pay's range over its period: `duration` (ISO 8601), as
        // Google reads it, and `unitText`, as schema.org's salaries do.
        o["estimatedSalary"] = json!({
            "@type": "MonetaryAmountDistribution",
            "name": "base",
            "currency": p.currency,
            "duration": iso_duration(&p.period),
            "unitText": p.period.to_uppercase(),
            "minValue": p.min,
            "maxValue": p.max,
        });
    }
    o
}

/// An opening's JobPosting, with what Google for Jobs requires (title,
/// description as HTML, datePosted, validThrough, hiringOrganization with
/// its logo, jobLocation or, for a remote opening, jobLocationType
/// TELECOMMUTE with applicantLocationRequirements) and recommends
/// (baseSalary, employmentType, identifier, directApply: false, as the
/// application is made on the ATS). An opening without `valid_through`
/// says it is valid for 30 days from the build date: rebuilt nightly (as
/// the deploy recipes do), it stays valid while it is listed.
pub fn job_posting(site: &Site, j: &crate::load::jobs::Job, description_html: &str, logo: &Value) -> Value {
    let c = &site.config;
    let valid = j.valid_through.map_or_else(|| thirty_days_from(crate::model::build_date()), |d| d.to_string());
    let mut o = json!({
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": j.title,
        "description": description_html,
        "datePosted": j.date_posted.to_string(),
        "validThrough": format!("{valid}T23:59:59Z"),
        "hiringOrganization": { "@type": "Organization", "name": c.brand.company, "sameAs": c.base.url, "logo": logo["url"] },
        "identifier": { "@type": "PropertyValue", "name": c.brand.company, "value": j.id },
        "directApply": false,
        "url": c.base.page_absolute(&format!("jobs/{}/", j.slug.value)),
    });
    let places: Vec<Value> =
        j.locations.iter().map(|l| json!({ "@type": "Place", "address": postal_address(l) })).collect();
    if !places.is_empty() {
        o["jobLocation"] = if places.len() == 1 { places[0].clone() } else { Value::Array(places) };
    }
    if j.remote {
        o["jobLocationType"] = json!("TELECOMMUTE");
        let regions: Vec<Value> = j.remote_regions.iter().map(|r| json!({ "@type": "Country", "name": r })).collect();
        o["applicantLocationRequirements"] = match regions.len() {
            0 => json!({ "@type": "Country", "name": site.words.t("jobs.anywhere") }),
            1 => regions[0].clone(),
            _ => Value::Array(regions),
        };
    }
    if let Some(t) = &j.employment_type {
        o["employmentType"] = json!(t);
    }
    if let Some(p) = &j.salary {
        o["baseSalary"] = json!({
            "@type": "MonetaryAmount",
            "currency": p.currency,
            "value": { "@type": "QuantitativeValue", "minValue": p.min, "maxValue": p.max, "unitText": p.period.to_uppercase() },
        });
    }
    o
}

/// "Atlanta, GA" as a PostalAddress: the part before the first comma is the
/// locality, the rest the region; "Remote"-like words are not places.
fn postal_address(place: &str) -> Value {
    let mut parts = place.splitn(2, ',').map(str::trim);
    let locality = parts.next().unwrap_or("");
    let mut a = json!({ "@type": "PostalAddress", "addressLocality": locality });
    if let Some(region) = parts.next().filter(|r| !r.is_empty()) {
        a["addressRegion"] = json!(region);
    }
    a
}

/// The day 30 days after `d`, as YYYY-MM-DD.
fn thirty_days_from(d: crate::load::fields::Date) -> String {
    let days = crate::clock::days_from_civil(d.year as i32, d.month as u32, d.day as u32) + 30;
    let (y, m, dd) = crate::clock::civil_from_days(days);
    format!("{y:04}-{m:02}-{dd:02}")
}

/// A pay period of the ladder (`year`, `month`, `week`, `day`, `hour`,
/// see `ladder::PERIODS`) as an ISO 8601 duration.
fn iso_duration(period: &str) -> &'static str {
    match period {
        "month" => "P1M",
        "week" => "P1W",
        "day" => "P1D",
        "hour" => "PT1H",
        _ => "P1Y",
    }
}

/// The BreadcrumbList of a page: the home page (the site's title), then
/// `trail`, each a name and a site path (`roles/agent/`), as absolute URLs
/// under the base URL. `None` for the home page itself (an empty trail): a
/// one-item trail tells nothing.
pub fn breadcrumbs(site: &Site, trail: &[(String, String)]) -> Option<Value> {
    if trail.is_empty() {
        return None;
    }
    let home = (site.config.title.clone(), String::new());
    let items: Vec<Value> = std::iter::once(&home)
        .chain(trail)
        .enumerate()
        .map(|(i, (name, path))| {
            json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": site.config.base.absolute(path) })
        })
        .collect();
    Some(json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items }))
}

pub fn web_page(site: &Site, path: &str, name: &str) -> Value {
    json!({ "@context": "https://schema.org", "@type": "WebPage", "name": name, "url": site.config.base.absolute(path),
        "isPartOf": { "@type": "WebSite", "name": site.config.title, "url": site.config.base.url } })
}

/// `inLanguage` on the page's creative works (schema.org gives it to
/// CreativeWork, so not to a JobPosting, an Occupation or an ItemList).
fn in_language(ld: &mut Value, lang: &str) {
    const WORKS: [&str; 5] = ["Article", "WebPage", "CollectionPage", "WebSite", "VideoObject"];
    let nodes: Vec<&mut Value> = match ld {
        Value::Array(list) => list.iter_mut().collect(),
        node => vec![node],
    };
    for node in nodes {
        if node.get("@type").and_then(Value::as_str).is_some_and(|t| WORKS.contains(&t)) {
            node["inLanguage"] = json!(lang);
        }
    }
}
