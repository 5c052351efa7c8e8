//! The maps of the pages: the full map (drawn once per build, pasted into
//! the home, map and family pages), and the compact maps of story pages and
//! of the map page's narrow form (see `map::compact`).

use super::Renderer;
use crate::map::{self, Highlight, MapOptions};
use crate::model::Ix;
use crate::render::seo::{self, PageMeta};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The map's layout and its page-independent SVG, made once per run (or
/// kept by `serve` while the ladder and the journeys stay the same), with
/// the fingerprint of the layout for the pages that show it.
pub struct Drawing {
    pub(super) layout: map::Layout,
    /// The ladder's tracks and roles (no journeys), for the compact maps.
    pub(super) ladder: map::MapInput,
    pub(super) prepared: map::svg::Prepared,
    pub(super) fingerprint: u64,
    /// Colours for highlighted journeys, apart from this ladder's tracks.
    pub(super) colors: Vec<String>,
    /// `prepared` with its links relative to pages of each folder depth,
    /// by the prefix (`../../`), made when first asked for.
    pub(super) relative: std::sync::Mutex<BTreeMap<String, Arc<map::svg::Prepared>>>,
}

impl Drawing {
    /// The prepared map with its links rewritten for pages under `prefix`.
    fn relative_to(&self, base_path: &str, prefix: &str) -> Arc<map::svg::Prepared> {
        let mut made = self.relative.lock().unwrap_or_else(|e| e.into_inner());
        let p = made.entry(prefix.to_string()).or_insert_with(|| {
            Arc::new(self.prepared.map_text(|t| crate::render::links::relativize(t, base_path, prefix)))
        });
        Arc::clone(p)
    }
}

impl Renderer<'_> {
    /// `/map.svg`: the full map as a file of its own.
    pub fn full_map_svg(&self) -> Option<String> {
        let title = self.site.words.t("map.title");
        self.draw(MapOptions { standalone: true, ..self.map_options("map", title, Vec::new()) })
    }

    /// The map as SVG for the page at site path `page`, its links relative
    /// to it (the page's template gets `PASTED` in `pages` in its place).
    pub(super) fn map_svg(&self, page: &str, id: &str, title: &str, highlights: Vec<Highlight>) -> Option<String> {
        let d = self.map.as_ref()?;
        let prepared = d.relative_to(&self.site.config.base.path, &crate::render::links::prefix(page));
        Some(map::svg::render_with(&d.layout, &prepared, &self.map_options(id, title, highlights)))
    }

    /// Story `i`'s journey as a compact map (see `map::compact`) for its
    /// page at `page`: a column a phone shows whole, a few kilobytes where
    /// the full ladder was most of the page. Its links are made relative
    /// here, as it is pasted after the page's links were (see `PASTED` in `pages`).
    pub(super) fn journey_map_svg(&self, i: Ix, page: &str) -> Option<String> {
        let d = self.map.as_ref()?;
        let story = &self.site.stories[i];
        let w = &self.site.words;
        let steps: Vec<_> = story.path.iter().map(|st| st.place.clone()).collect();
        let years: Vec<String> = self.cards[i].journey.iter().map(|st| st.years.clone()).collect();
        let opts = map::compact::CompactOptions {
            id: format!("story-{}", story.slug.value),
            title: w.tf("map.story_title", &[("name", &story.name), ("site", &self.site.config.title)]),
            description: w.tf("map.story_description", &[("name", &story.name)]),
            color: self.journey_color(0),
            omit_style: false,
        };
        let svg = map::compact::journey(&d.ladder, &steps, &years, &opts);
        Some(crate::render::links::relativize(&svg, &self.site.config.base.path, &crate::render::links::prefix(page)))
    }

    /// The colour of the `k`th journey highlighted on a map (a family's
    /// members), apart from the track colours.
    pub(super) fn journey_color(&self, k: usize) -> String {
        match self.map.as_ref().filter(|d| !d.colors.is_empty()) {
            Some(d) => d.colors[k % d.colors.len()].clone(),
            None => map::svg::HIGHLIGHT_COLORS[k % map::HIGHLIGHT_COLORS_LEN].to_string(),
        }
    }

    /// Each track as a compact map, for the map page's narrow-screen form
    /// (name, colour, SVG); its links are made relative with the page's.
    pub(super) fn track_maps(&self) -> Vec<Value> {
        let Some(d) = self.map.as_ref() else { return Vec::new() };
        d.ladder
            .tracks
            .iter()
            .filter(|t| d.ladder.roles.iter().any(|r| r.track == t.id))
            .enumerate()
            .map(|(k, t)| {
                let opts = map::compact::CompactOptions {
                    id: format!("track-{}", t.id),
                    title: self.site.words.tf("map.track_title", &[("track", &t.name)]),
                    // The page's paragraph above the tracks says how they read.
                    description: String::new(),
                    color: String::new(),
                    // The first map carries the style for all of them.
                    omit_style: k > 0,
                };
                let svg = map::compact::track(&d.ladder, &t.id, &opts);
                json!({ "id": t.id, "name": t.name, "color": t.color,
                    "color_dark": crate::render::views::mark_color_on_dark(&t.color), "svg": svg })
            })
            .collect()
    }

    /// Draws the prepared map (none without a ladder).
    pub(super) fn draw(&self, opts: MapOptions) -> Option<String> {
        let d = self.map.as_ref()?;
        Some(map::svg::render_with(&d.layout, &d.prepared, &opts))
    }

    /// The full map (every journey's moves) when nothing is highlighted; the
    /// ladder with the highlighted journeys on top otherwise.
    pub(super) fn map_options(&self, id: &str, title: &str, highlights: Vec<Highlight>) -> MapOptions {
        let w = &self.site.words;
        let roles = w.formats.number(self.site.ladder.as_ref().map_or(0, |l| l.roles.len()) as i64);
        let description = if highlights.is_empty() {
            w.tn("map.description", self.site.stories.len() as u64, &[("roles", &roles)])
        } else {
            let names: Vec<&str> = highlights.iter().map(|h| h.label.as_str()).collect();
            let names = names.join(w.t("list.separator"));
            w.tf("map.description_highlight", &[("roles", &roles), ("names", &names)])
        };
        let hiring = self.site.jobs_by_role.len();
        let description = match hiring {
            0 => description,
            n => {
                w.tf("map.with_hiring", &[("map", &description), ("hiring", &w.tn("map.hiring_count", n as u64, &[]))])
            }
        };
        MapOptions {
            standalone: false,
            traffic: highlights.is_empty(),
            description,
            title: w.tf("map.title_on_site", &[("title", title), ("site", &self.site.config.title)]),
            id: id.into(),
            highlights,
        }
    }

    pub(super) fn map_page(&self, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let svg = self.map_svg(path, "full-map", s.words.t("map.title"), Vec::new());
        let journeys: Vec<Value> = self
            .cards
            .iter()
            .map(|c| json!({ "name": c.name, "url": c.url, "role": c.role.name, "journey_html": c.journey_html }))
            .collect();
        let moves: Vec<Value> = self
            .map
            .iter()
            .map(|d| &d.layout)
            .flat_map(|l| l.edges.iter().map(move |e| (l, e)))
            .filter(|(_, e)| e.count > 0)
            .map(|(l, e)| {
                let name = |k| l.node(k).map_or_else(String::new, |n| n.label.clone());
                json!({ "from": name(&e.from), "to": name(&e.to), "count": e.count, "supported": e.supported })
            })
            .collect();
        // The badges in words: each hiring role, in the ladder's order.
        let hiring: Vec<Value> = s
            .ladder
            .iter()
            .flat_map(|l| &l.roles)
            .filter_map(|r| {
                let n = self.openings_of(&r.id.value).len();
                (n > 0).then(|| {
                    json!({ "role": r.title, "count": n, "text": map::svg::open_positions(&s.words, n),
                            "url": format!("{}#openings", s.config.base.page(&format!("roles/{}/", r.id.value))) })
                })
            })
            .collect();
        let items: Vec<(String, String)> = s
            .ladder
            .iter()
            .flat_map(|l| &l.roles)
            .map(|r| (r.title.clone(), s.config.base.page(&format!("roles/{}/", r.id.value))))
            .collect();
        let name = super::index_title(&self.site.words, &super::Job::Map);
        let mut ld = seo::item_list(s, path, name, &items);
        ld["associatedMedia"] = json!({ "@type": "ImageObject", "contentUrl": s.config.base.page_absolute("map.svg"), "encodingFormat": "image/svg+xml" });
        let meta = PageMeta::new(s, path, name, s.words.t("page.map_description"), ld);
        (
            meta,
            json!({ "map_svg": svg, "journeys": journeys, "moves": moves, "svg_url": s.config.base.page("map.svg"),
                    "hiring": hiring, "track_maps": self.track_maps() }),
        )
    }
}
