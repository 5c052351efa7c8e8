//! What templates see: plain serialisable views of the model, with every URL
//! already computed for the site's base path. Built once per site where they
//! are shared (story cards), so pages do not rebuild them.

use super::markdown;
use crate::load::story::{Place, Story};
use crate::model::{Ix, Site, Taxon};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub base_path: String,
    /// The home page of the page's language (`/careers/fr/`): where links
    /// to pages start.
    pub home_url: String,
    pub language: String,
    /// `language` as an Open Graph locale (`en-GB` -> `en_GB`, `en` -> `en_US`).
    pub locale: String,
    /// The writing direction of the language: `rtl` or `ltr`.
    pub dir: &'static str,
    pub company: String,
    pub logo_url: Option<String>,
    /// The logo as the pipeline publishes it (`media::Picture`): sizes by
    /// height, its own width (a wordmark stays a wordmark).
    pub logo: Option<crate::media::Picture>,
    /// The favicon, PNG icon and apple-touch icon `<link>`s (see `icons`):
    /// rel, href, type, sizes.
    pub icons: Vec<super::icons::IconLink>,
    /// `[brand] font`: the woff2 file's link, for `@font-face` and preload.
    pub font_url: Option<String>,
    pub primary_color: String,
    pub accent_color: String,
    /// Text colour readable on `primary_color`.
    pub on_primary: String,
    /// Text colour readable on `accent_color` (buttons).
    pub on_accent: String,
    /// `primary_color`, darkened if needed so links read on white.
    pub link_color: String,
    /// `primary_color`, lightened if needed so links read in dark mode
    /// (on [`DARK_SURFACE`] and darker).
    pub link_color_dark: String,
    pub cta: Option<crate::load::config::Cta>,
    pub nav: Vec<Link>,
    pub pages: Vec<Link>,
    /// The stylesheet, by its cache-busting name (see `assets`).
    pub css_url: String,
    /// Every stylesheet and script by its plain path (`js/search.js`): the
    /// URL of its cache-busting name.
    pub assets: BTreeMap<String, String>,
    pub feed_url: String,
    /// The client-side search index (see `search`).
    pub search_url: String,
    pub has_ladder: bool,
    pub extra: serde_json::Value,
}

/// A story as listed on cards and index pages.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub name: String,
    pub role: Link,
    pub date: String,
    pub date_human: String,
    pub location: Option<String>,
    /// The photo at the card's size (the fallback file; `photo` has all).
    pub photo_url: Option<String>,
    pub photo_alt: Option<String>,
    /// The photo cropped for a card (8:5) and for the story's own page
    /// (square), with every size made (see `media::Picture`).
    pub photo: Option<crate::media::Picture>,
    pub avatar: Option<crate::media::Picture>,
    /// Up to two initials, shown where there is no photo.
    pub initials: String,
    pub quote: Option<String>,
    pub excerpt: String,
    pub tags: Vec<Link>,
    pub origin: Option<Link>,
    pub featured: bool,
    /// The journey in a line, for the card: words and a tiny drawing.
    pub trail: Trail,
    /// The journey, oldest step first. Not serialised with the card: lists
    /// would copy it for every card; `journey.html` gets it as `steps`, and
    /// the story page as `journey`.
    #[serde(skip)]
    pub journey: Vec<StepView>,
    /// The card as HTML, from the theme's `card.html`: rendered once per
    /// story and pasted into every list that shows it.
    pub html: String,
    /// The journey as HTML, from the theme's `journey.html`, likewise.
    pub journey_html: String,
}

/// A journey as a card shows it: "Barista → Customer Support Agent → Team
/// Lead", and the same steps as a small rising line (one dot a step, higher
/// for a higher level of the ladder; a step outside the ladder sits on the
/// baseline, hollow). The numbers are the drawing's, in an SVG of
/// `width`×`height` user units; the theme draws it.
#[derive(Debug, Clone, Serialize)]
pub struct Trail {
    pub text: String,
    pub width: u32,
    pub height: u32,
    /// The polyline's points, "x,y x,y ...".
    pub points: String,
    pub dots: Vec<TrailDot>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrailDot {
    pub x: u32,
    pub y: u32,
    pub outside: bool,
    /// The last step: the person's role now.
    pub current: bool,
}

/// The trail's drawing: dots `GAP` apart, levels over `RISE` units.
const TRAIL_GAP: u32 = 14;
const TRAIL_RISE: u32 = 14;
const TRAIL_PAD: u32 = 4;

pub fn trail(site: &Site, s: &Story) -> Trail {
    let top = site.ladder.as_ref().and_then(|l| l.roles.iter().map(|r| r.level).max()).unwrap_or(1).max(1);
    let n = s.path.len().max(1) as u32;
    let height = TRAIL_RISE + 2 * TRAIL_PAD;
    let dots: Vec<TrailDot> = s
        .path
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let level = match &st.place {
                Place::Role(id) => site.role(id).map_or(1, |r| r.level),
                Place::Outside(_) => 0,
            };
            TrailDot {
                x: TRAIL_PAD + i as u32 * TRAIL_GAP,
                y: TRAIL_PAD + TRAIL_RISE - TRAIL_RISE * level.min(top) / top,
                outside: matches!(st.place, Place::Outside(_)),
                current: i + 1 == s.path.len(),
            }
        })
        .collect();
    Trail {
        text: s
            .path
            .iter()
            .map(|st| place_label(site, &st.place).0)
            .collect::<Vec<_>>()
            .join(site.words.t("journey.arrow")),
        width: 2 * TRAIL_PAD + (n - 1) * TRAIL_GAP,
        height,
        points: dots.iter().map(|d| format!("{},{}", d.x, d.y)).collect::<Vec<_>>().join(" "),
        dots,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub label: String,
    pub url: Option<String>,
    pub outside: bool,
    pub years: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub label: String,
    pub url: Option<String>,
    pub count: usize,
}

/// Where a job is done: "Toronto, ON · Halifax, NS", "Remote", or
/// "Toronto, ON · or remote".
pub fn job_places(w: &crate::i18n::Words, j: &crate::load::jobs::Job) -> String {
    let places = j.locations.join(" · ");
    match (j.remote, places.is_empty()) {
        (false, _) => places,
        (true, true) => w.t("jobs.remote").into(),
        (true, false) => w.tf("jobs.or_remote", &[("places", &places)]),
    }
}

/// A date in words, as the site's language writes it ("May 2, 2019").
pub fn human_date(words: &crate::i18n::Words, d: &crate::load::fields::Date) -> String {
    words.formats.date(i32::from(d.year), d.month, d.day)
}

pub use crate::color::rgb;
use crate::color::{contrast_of as contrast, luminance};

/// Black or white, whichever reads better on a colour.
pub fn readable_on(hex: &str) -> &'static str {
    let l = luminance(rgb(hex));
    if contrast(l, 1.0) >= contrast(l, 0.0) {
        "#ffffff"
    } else {
        "#111111"
    }
}

/// The brand colour for text on white: itself when it reads (4.5:1, WCAG
/// AA), otherwise darkened step by step until it does.
pub fn text_color_on_white(hex: &str) -> String {
    crate::color::hex(crate::color::with_contrast(rgb(hex), [0, 0, 0], &[rgb("#ffffff")], 4.5, 10))
}

/// The darkest background of the themes' dark mode that links sit on.
pub const DARK_SURFACE: &str = "#1e293b";

/// Every background of the themes' dark mode: the page, the cards, the
/// soft panels.
const DARK_BACKGROUNDS: [&str; 3] = ["#0f172a", "#111827", DARK_SURFACE];

/// The brand colour for text on the dark-mode backgrounds: itself when it
/// reads (4.5:1) on all of them, otherwise made lighter with its hue and
/// saturation kept (`color::lighten_to`): mixing with white would give a
/// greyish pastel (#14532d became a muddy #729881).
pub fn text_color_on_dark(hex: &str) -> String {
    on_dark(hex, 4.5)
}

/// A colour that marks a track or a person (a border, a swatch) as dark
/// mode shows it: itself when it stands out (3:1, WCAG's bar for graphics)
/// on every dark-mode background, otherwise lightened until it does.
pub fn mark_color_on_dark(hex: &str) -> String {
    on_dark(hex, 3.0)
}

fn on_dark(hex: &str, ratio: f64) -> String {
    let backs = DARK_BACKGROUNDS.map(rgb);
    crate::color::hex(crate::color::lighten_to(rgb(hex), &backs, ratio))
}

impl SiteView {
    /// `assets`: the cache-busting name of each stylesheet and script.
    pub fn new(site: &Site, assets: &BTreeMap<String, String>, icons: &[super::icons::IconLink]) -> SiteView {
        let c = &site.config;
        let link = |p: &str| c.base.link(p);
        let assets: BTreeMap<String, String> = assets.iter().map(|(k, v)| (k.clone(), link(v))).collect();
        let w = &site.words;
        let page = |p: &str| c.base.page(p);
        let item = |key: &str, path: &str| Link { name: w.t(key).into(), url: page(path) };
        let mut nav = vec![item("page.nav_stories", "stories/")];
        if site.ladder.is_some() {
            nav.push(item("page.nav_roles", "roles/"));
            nav.push(item("page.nav_map", "map/"));
        }
        if !site.families.is_empty() {
            nav.push(item("page.nav_families", "families/"));
        }
        if !site.jobs.is_empty() {
            nav.push(item("page.nav_jobs", "jobs/"));
        }
        SiteView {
            title: c.title.clone(),
            description: c.description.clone(),
            base_url: c.base.url.clone(),
            base_path: c.base.path.clone(),
            home_url: c.base.page(""),
            language: c.language.clone(),
            locale: site.words.formats.og_locale.clone(),
            dir: if site.words.formats.rtl { "rtl" } else { "ltr" },
            company: c.brand.company.clone(),
            logo: c.brand.logo.as_ref().and_then(|l| site.media.picture(&l.value, crate::media::Use::Logo)).cloned(),
            logo_url: c.brand.logo.as_ref().map(|l| {
                site.media.picture(&l.value, crate::media::Use::Logo).map_or_else(|| link(&l.value), |p| p.src.clone())
            }),
            icons: icons.to_vec(),
            font_url: c.brand.font.as_ref().map(|f| link(f.value.trim_start_matches('/'))),
            primary_color: c.brand.primary_color.clone(),
            accent_color: c.brand.accent_color.clone(),
            on_primary: readable_on(&c.brand.primary_color).into(),
            on_accent: readable_on(&c.brand.accent_color).into(),
            link_color: text_color_on_white(&c.brand.primary_color),
            link_color_dark: text_color_on_dark(&c.brand.primary_color),
            cta: c.cta.clone(),
            nav,
            pages: site
                .pages
                .iter()
                .map(|p| Link { name: p.title.clone(), url: page(&format!("{}/", p.slug.value)) })
                .collect(),
            css_url: assets.get("css/style.css").cloned().unwrap_or_else(|| link("css/style.css")),
            assets,
            feed_url: page("feed.xml"),
            search_url: page(super::search::FILE),
            has_ladder: site.ladder.is_some(),
            extra: c.extra.clone(),
        }
    }
}

pub fn story_path(s: &Story) -> String {
    format!("stories/{}/", s.slug.value)
}

pub fn role_link(site: &Site, id: &str) -> Link {
    Link {
        name: site.role_title(id),
        url: if site.role(id).is_some() { site.config.base.page(&format!("roles/{id}/")) } else { String::new() },
    }
}

pub fn taxon_link(site: &Site, kind: &str, name: &str) -> Link {
    Link {
        name: crate::text::display_name(name),
        url: site.config.base.page(&format!("{kind}/{}/", crate::text::slugify(name))),
    }
}

pub fn card(site: &Site, s: &Story) -> Card {
    let focus = s.photo_focus.unwrap_or((0.5, 0.5));
    let photo = |use_| s.photo.as_ref().and_then(|p| site.media.picture_at(&p.value, use_, focus));
    Card {
        slug: s.slug.value.clone(),
        url: site.config.base.page(&story_path(s)),
        title: s.title.clone(),
        name: s.name.clone(),
        role: role_link(site, &s.role.value),
        date: s.date.to_string(),
        date_human: human_date(&site.words, &s.date),
        location: s.location.clone(),
        photo_url: photo(crate::media::Use::Card).map(|p| p.src.clone()),
        photo_alt: s.photo_alt.clone(),
        photo: photo(crate::media::Use::Card).cloned(),
        avatar: photo(crate::media::Use::Avatar).cloned(),
        initials: s
            .name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .take(2)
            .flat_map(char::to_uppercase)
            .collect(),
        quote: s.quote.clone(),
        excerpt: markdown::plain_text(&s.body, 180),
        tags: s.tags.iter().map(|t| taxon_link(site, "tags", t)).collect(),
        origin: s.origin.as_ref().map(|o| taxon_link(site, "origins", o)),
        featured: s.featured,
        trail: trail(site, s),
        journey: journey(site, s),
        html: String::new(),
        journey_html: String::new(),
    }
}

pub fn place_label(site: &Site, p: &Place) -> (String, Option<String>) {
    match p {
        Place::Role(id) => {
            let l = role_link(site, id);
            (l.name, (!l.url.is_empty()).then_some(l.url))
        }
        Place::Outside(t) => (t.clone(), None),
    }
}

pub fn journey(site: &Site, s: &Story) -> Vec<StepView> {
    (0..s.path.len())
        .map(|i| {
            let st = &s.path[i];
            let (label, url) = place_label(site, &st.place);
            let years =
                step_years(&site.words, st.from, crate::load::story::step_end(&s.path, i), i + 1 == s.path.len());
            StepView { label, url, outside: matches!(st.place, Place::Outside(_)), years }
        })
        .collect()
}

/// The years of a step as shown: "2016–2018" when it ended (by its own `to`
/// or where the next step starts), "since 2023" only for the current (last)
/// step, "from 2016" for an earlier step whose end is not known.
fn step_years(w: &crate::i18n::Words, from: Option<i64>, end: Option<i64>, last: bool) -> String {
    let (f, t) = (from.map(|y| y.to_string()), end.map(|y| y.to_string()));
    let (f, t) = (f.as_deref().unwrap_or(""), t.as_deref().unwrap_or(""));
    match (from, end) {
        (Some(a), Some(b)) if a == b => f.to_string(),
        (Some(_), Some(_)) => w.tf("years.range", &[("from", f), ("to", t)]),
        (Some(_), None) if last => w.tf("years.since", &[("from", f)]),
        (Some(_), None) => w.tf("years.from", &[("from", f)]),
        (None, Some(_)) => w.tf("years.until", &[("to", t)]),
        (None, None) => String::new(),
    }
}

pub fn counts(site: &Site, m: &std::collections::BTreeMap<Place, usize>) -> Vec<Count> {
    let mut v: Vec<Count> = m
        .iter()
        .map(|(p, n)| {
            let (label, url) = place_label(site, p);
            Count { label, url, count: *n }
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    v
}

pub fn cards<'c>(all: &'c [std::sync::Arc<Card>], ixs: &[Ix]) -> Vec<&'c Card> {
    ixs.iter().map(|&i| &*all[i]).collect()
}

/// How many cards a list shows before the reader scrolls (a row of the
/// widest grid): their photos load at once, as the page's largest image is
/// one of them, and lazy-loading it would delay the page's first paint.
pub const FIRST_ROW: usize = 4;

/// Card `i` of a list as the list pastes it: the first row's photos not
/// lazy (the card is rendered once, lazily, for every list).
pub fn listed(i: usize, html: &str) -> std::borrow::Cow<'_, str> {
    if i < FIRST_ROW {
        html.replace(LAZY, "").into()
    } else {
        html.into()
    }
}

/// What `macros.html`'s `picture` writes for a lazy image.
const LAZY: &str = " loading=\"lazy\" decoding=\"async\"";

pub fn taxon_view(t: &Taxon, kind: &str, site: &Site) -> serde_json::Value {
    serde_json::json!({
        "name": t.name,
        "slug": t.slug,
        "url": site.config.base.page(&format!("{kind}/{}/", t.slug)),
        "count": t.stories.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_current_step_is_since() {
        let w = crate::i18n::Words::default();
        assert_eq!(step_years(&w, Some(2016), Some(2018), false), "2016–2018");
        assert_eq!(step_years(&w, Some(2023), None, true), "since 2023");
        assert_eq!(step_years(&w, Some(2016), None, false), "from 2016");
        assert_eq!(step_years(&w, Some(2019), Some(2019), false), "2019");
        assert_eq!(step_years(&w, None, Some(2010), false), "until 2010");
    }

    #[test]
    fn readable_text_colours() {
        assert_eq!(readable_on("#14532d"), "#ffffff");
        assert_eq!(readable_on("#f59e0b"), "#111111");
        assert_eq!(readable_on("#fff"), "#111111");
        assert_eq!(text_color_on_white("#14532d"), "#14532d", "dark enough already");
        let yellow = text_color_on_white("#fbbf24");
        assert_ne!(yellow, "#fbbf24");
        assert!(contrast(luminance(rgb(&yellow)), 1.0) >= 4.5);
        let dark = luminance(rgb(DARK_SURFACE));
        let green = text_color_on_dark("#14532d");
        assert_ne!(green, "#14532d", "too dark for dark mode");
        assert!(contrast(luminance(rgb(&green)), dark) >= 4.5, "{green}");
        assert_eq!(text_color_on_dark("#fbbf24"), "#fbbf24", "light enough already");
        // Lightened, the brand green stays a green, not a grey.
        let [r, g, b] = rgb(&green);
        assert!(g as i32 - r.max(b) as i32 > 60, "{green}");
        for mark in ["#111827", "#14532d", "#1d4ed8"] {
            let light = mark_color_on_dark(mark);
            for back in DARK_BACKGROUNDS {
                assert!(contrast(luminance(rgb(&light)), luminance(rgb(back))) >= 3.0, "{mark} -> {light} on {back}");
            }
        }
        assert_eq!(mark_color_on_dark("#f59e0b"), "#f59e0b");
    }
}
