//! One function per kind of page: which template, which URL, which variables.
//! Shared pieces (site view, story cards, map layout) are computed once in
//! [`Renderer::new`] and borrowed by every page.

use super::seo::{self, PageMeta};
use super::theme::{innermost, Theme};
use super::views::{self, Card, Link, SiteView};
use super::{markdown, share, Content, Output};
use crate::diagnostics::Diagnostic;
use crate::map::{self, Highlight, MapOptions, HIGHLIGHT_COLORS_LEN};
use crate::model::{Ix, RoleStats, Site};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy)]
pub enum Job {
    Home,
    Stories,
    Story(Ix),
    Roles,
    Role(usize),
    Map,
    Families,
    Family(usize),
    TaxonIndex(&'static str),
    Taxon(&'static str, usize),
    Page(usize),
    NotFound,
}

/// The template a kind of page is rendered with.
pub fn template(job: &Job) -> &'static str {
    match job {
        Job::Home => "index.html",
        Job::Stories => "stories.html",
        Job::Story(_) => "story.html",
        Job::Roles => "roles.html",
        Job::Role(_) => "role.html",
        Job::Map => "map.html",
        Job::Families => "families.html",
        Job::Family(_) => "family.html",
        Job::TaxonIndex(_) => "taxonomy_list.html",
        Job::Taxon(..) => "taxonomy.html",
        Job::Page(_) => "page.html",
        Job::NotFound => "404.html",
    }
}

fn output_path(path: String) -> String {
    if path.ends_with(".html") {
        path
    } else {
        format!("{path}index.html")
    }
}

/// A median stay as words: "under a year", "1 year", "2.5 years".
fn years_text(years: f64) -> String {
    if years < 1.0 {
        "under a year".into()
    } else if years == 1.0 {
        "1 year".into()
    } else {
        format!("{} years", (years * 10.0).round() / 10.0)
    }
}

/// A template that failed at render time, located at its file.
fn template_error(theme: &Theme, template: &str, e: &tera::Error, rendering: &str) -> Diagnostic {
    let file = theme.templates.get(template).map_or_else(|| format!("templates/{template}"), |(_, f)| f.clone());
    Diagnostic::new(file, None, format!("template error in {template}: {}", innermost(e).replace('\n', " ")))
        .label(format!("while rendering {rendering}"))
        .hint("check the variable names the template uses; see the README's template section")
}

/// How many entries of each candidate list `related_stories` reads.
const RELATED_SCAN: usize = 200;

/// The lists a story's related stories are drawn from, with their weights:
/// the stories in its role now (2), of its origin and of each tag (1 each).
/// Each list holds story indexes in ascending order, which is newest first.
fn candidate_lists(site: &Site, i: Ix) -> Vec<(&[Ix], usize)> {
    let s = &site.stories[i];
    let find = |list: &[crate::model::Taxon], name: &str| {
        let slug = crate::text::slugify(name);
        list.binary_search_by(|t| t.slug.cmp(&slug)).ok()
    };
    let mut lists = Vec::new();
    if let Some(st) = site.roles.get(&s.role.value) {
        lists.push((&st.now[..], 2));
    }
    if let Some(k) = s.origin.as_deref().and_then(|o| find(&site.origins, o)) {
        lists.push((&site.origins[k].stories[..], 1));
    }
    for t in &s.tags {
        if let Some(k) = find(&site.tags, t) {
            lists.push((&site.tags[k].stories[..], 1));
        }
    }
    lists
}

/// Up to three other stories sharing the role (worth 2), the origin or
/// tags (1 each): most in common first, then newest. Each candidate list is
/// read up to `RELATED_SCAN` entries, so the cost per story stays bounded on
/// large sites; among the newest stories is where a reader wants related
/// ones anyway.
///
/// The lists are sorted, so they are merged in one pass, summing the
/// weights of each story as it comes and keeping the best three: no
/// allocation or sort per story (sorting every candidate was a tenth of a
/// rebuild at 10,000 stories).
fn related_stories(i: Ix, lists: &[(&[Ix], usize)]) -> Vec<Ix> {
    let mut heads: Vec<_> = lists
        .iter()
        .map(|&(list, w)| (list.iter().filter(move |&&j| j != i).take(RELATED_SCAN).peekable(), w))
        .collect();
    // (score, story), best first; stories come in ascending order, so a
    // later story ties with an earlier one of the same score and loses.
    let mut best: [(usize, Ix); 3] = [(0, 0); 3];
    let mut kept = 0;
    while let Some(j) = heads.iter_mut().filter_map(|(h, _)| h.peek().map(|&&j| j)).min() {
        let mut score = 0;
        for (h, w) in &mut heads {
            if h.next_if(|&&k| k == j).is_some() {
                score += *w;
            }
        }
        if kept < 3 || score > best[2].0 {
            let at = best[..kept].iter().position(|&(s, _)| score > s).unwrap_or(kept);
            kept = (kept + 1).min(3);
            best.copy_within(at..kept - 1, at + 1);
            best[at] = (score, j);
        }
    }
    best[..kept].iter().map(|&(_, j)| j).collect()
}

/// Every story's related stories. They depend only on the stories' front
/// matter, so `serve` keeps the whole list while no front matter changed
/// (see [`Renderer::new`]).
fn all_related(site: &Site) -> Vec<Vec<Ix>> {
    use rayon::prelude::*;
    (0..site.stories.len()).into_par_iter().map(|i| related_stories(i, &candidate_lists(site, i))).collect()
}

/// Which stories a page reads (see [`Renderer::fingerprint`]).
enum Reads {
    Nothing,
    /// What is shown of every story (titles, excerpts...).
    All,
    /// Only the structure of every story (`Story::structure`: names,
    /// roles, journeys, relations, tags...): pages of counts, names and
    /// journeys, which a title or body edit leaves as they are.
    Structure,
    These(Vec<Ix>),
}

/// The map's layout and its page-independent SVG, made once per run (or
/// kept by `serve` while the ladder and the journeys stay the same), with
/// the fingerprint of the layout for the pages that show it.
pub struct Drawing {
    layout: map::Layout,
    /// The ladder's tracks and roles (no journeys), for the compact maps.
    ladder: map::MapInput,
    prepared: map::svg::Prepared,
    fingerprint: u64,
    /// `prepared` with its links relative to pages of each folder depth,
    /// by the prefix (`../../`), made when first asked for.
    relative: std::sync::Mutex<BTreeMap<String, Arc<map::svg::Prepared>>>,
}

impl Drawing {
    /// The prepared map with its links rewritten for pages under `prefix`.
    fn relative_to(&self, base_path: &str, prefix: &str) -> Arc<map::svg::Prepared> {
        let mut made = self.relative.lock().unwrap_or_else(|e| e.into_inner());
        let p = made
            .entry(prefix.to_string())
            .or_insert_with(|| Arc::new(self.prepared.map_text(|t| super::links::relativize(t, base_path, prefix))));
        Arc::clone(p)
    }
}

/// What a page's template gets as `map_svg`: the drawing is pasted in its
/// place after the template ran and the page's links were made relative.
/// A map is most of a story page; passing it through Tera and the link
/// rewriter cost a sixth of the page's time. An HTML comment, so no
/// escaped text and no sanitised Markdown can produce it.
const MAP_HOLE: &str = "<!--storypath:map_svg-->";

pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    tera: &'a tera::Tera,
    site_json: Value,
    /// Shared with the memo, so `serve` keeps them without copying.
    cards: Vec<Arc<Card>>,
    /// The fingerprint of what each card was made from (see `reuse`).
    card_keys: Vec<u64>,
    /// Per story, the fingerprint of what other pages show of it: its front
    /// matter and its excerpt, not the rest of its body.
    shown: Vec<u64>,
    /// Of what the related lists are made from (see [`Renderer::new`]).
    related_key: u64,
    /// Each story's related stories.
    related: Arc<Vec<Vec<Ix>>>,
    /// None without a ladder.
    map: Option<Arc<Drawing>>,
    map_key: u64,
    inputs: super::reuse::Inputs,
}

impl<'a> Renderer<'a> {
    /// Makes what every page shares: the site view, the map, the related
    /// stories, and a card for every story, its HTML rendered once from
    /// `card.html`. With a `memo` (`serve`), each of these is taken from it
    /// when what it is made from did not change.
    pub fn new(
        site: &'a Site,
        theme: &'a Theme,
        tera: &'a tera::Tera,
        assets: &BTreeMap<String, String>,
        memo: Option<&super::reuse::Memo>,
    ) -> Result<Self, Vec<Diagnostic>> {
        use crate::load::story::Place;
        use crate::text::{fingerprint, fingerprint_each};
        use rayon::prelude::*;
        /// Between two journeys in the map's key.
        static END: Place = Place::Outside(String::new());
        let site_json = serde_json::to_value(SiteView::new(site, assets)).unwrap_or(Value::Null);
        // The map is made from the ladder and the journeys; related lists
        // from each story's slug, role, origin and tags, in story order.
        let ladder = fingerprint(&format!("{:?}", site.ladder));
        let places = site.stories.iter().flat_map(|s| s.path.iter().map(|st| &st.place).chain([&END]));
        // The base path too: the nodes link to the role pages under it.
        let map_key = fingerprint(&(ladder, &site.config.base.path, fingerprint_each(places)));
        let related_key =
            fingerprint_each(site.stories.iter().map(|s| (&s.slug.value, &s.role.value, &s.origin, &s.tags)));
        let map = match memo.and_then(|m| m.map.as_ref()) {
            Some((k, kept)) if *k == map_key => kept.clone(),
            _ => super::map_input(site).map(|mut input| {
                let layout = map::layout(&input);
                input.journeys = Vec::new();
                let prepared = map::svg::prepare(&layout);
                let fingerprint = fingerprint(&format!("{layout:?}"));
                Arc::new(Drawing { layout, ladder: input, prepared, fingerprint, relative: Default::default() })
            }),
        };
        let related = match memo.and_then(|m| m.related.as_ref()) {
            Some((k, kept)) if *k == related_key => kept.clone(),
            _ => Arc::new(all_related(site)),
        };
        let inputs = Self::fingerprint_inputs(site, theme, &site_json, ladder, map.as_ref().map(|d| d.fingerprint));
        let card_base = fingerprint(&(inputs.global, inputs.fragments));
        let made: Vec<Result<(u64, Arc<Card>), Diagnostic>> = site
            .stories
            .par_iter()
            .map(|s| {
                let key = fingerprint(&(card_base, s.fingerprint));
                if let Some((k, c)) = memo.and_then(|m| m.cards.get(&s.slug.value)) {
                    if *k == key {
                        return Ok((key, Arc::clone(c)));
                    }
                }
                let mut card = views::card(site, s);
                let mut ctx = tera::Context::new();
                ctx.insert("s", &card);
                ctx.insert("steps", &card.journey);
                let fragment =
                    |name: &str| tera.render(name, &ctx).map_err(|e| template_error(theme, name, &e, &card.url));
                let (html, journey_html) = (fragment("card.html")?, fragment("journey.html")?);
                card.html = html;
                card.journey_html = journey_html;
                Ok((key, Arc::new(card)))
            })
            .collect();
        let mut errors = Vec::new();
        let (mut cards, mut card_keys) = (Vec::with_capacity(made.len()), Vec::with_capacity(made.len()));
        for m in made {
            match m {
                Ok((k, c)) => {
                    card_keys.push(k);
                    cards.push(c);
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let shown: Vec<u64> =
            site.stories.iter().zip(&cards).map(|(s, c)| fingerprint(&(s.front_fingerprint, &c.excerpt))).collect();
        let mut inputs = inputs;
        inputs.all_stories = fingerprint_each(&shown);
        Ok(Renderer {
            site,
            theme,
            tera,
            site_json,
            cards,
            card_keys,
            shown,
            related_key,
            related,
            map,
            map_key,
            inputs,
        })
    }

    /// Puts what the next run may reuse into the memo: the cards, the map
    /// and the related lists, with what they were made from. Pages are
    /// added by `render`.
    pub fn remember(&self, memo: &mut super::reuse::Memo) {
        memo.cards = self.cards.iter().zip(&self.card_keys).map(|(c, k)| (c.slug.clone(), (*k, c.clone()))).collect();
        memo.map = Some((self.map_key, self.map.clone()));
        memo.related = Some((self.related_key, self.related.clone()));
    }

    /// Every page to render, in a stable order.
    pub fn jobs(&self) -> Vec<Job> {
        let s = self.site;
        let mut jobs = vec![Job::Home, Job::Stories, Job::Families, Job::NotFound];
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
        jobs
    }

    /// The fingerprint of everything a page is made from (see `reuse`).
    pub fn fingerprint(&self, job: &Job) -> u64 {
        let inputs = &self.inputs;
        let s = self.site;
        // Story pages draw their own journey on the ladder (the compact map),
        // not the layout of every journey: the ladder is in `global`, and a
        // journey edit re-renders its own story page, not every other one.
        let with_map = matches!(job, Job::Home | Job::Map | Job::Family(_));
        let reads = match *job {
            Job::Home | Job::Stories => Reads::All,
            Job::Roles | Job::Map | Job::Families | Job::TaxonIndex(_) => Reads::Structure,
            Job::NotFound | Job::Page(_) => Reads::Nothing,
            Job::Story(i) => {
                let rel = &s.relations[i];
                let mut list = vec![i];
                for l in [&rel.parents, &rel.children, &rel.mentors, &rel.mentees] {
                    list.extend(l);
                }
                if let Some(f) = s.family_of[i] {
                    list.extend(&s.families[f].members);
                }
                list.extend(self.related(i));
                Reads::These(list)
            }
            Job::Role(i) => {
                let id = s.ladder.as_ref().map_or("", |l| l.roles[i].id.value.as_str());
                let stats = s.roles.get(id);
                Reads::These(stats.map_or_else(Vec::new, |st| st.now.iter().chain(&st.before).copied().collect()))
            }
            Job::Family(i) => {
                let mut list = s.families[i].members.clone();
                for &m in &s.families[i].members {
                    list.extend(&s.relations[m].parents);
                    list.extend(&s.relations[m].children);
                }
                Reads::These(list)
            }
            Job::Taxon(kind, i) => Reads::These(self.taxa(kind)[i].stories.clone()),
        };
        let stories: Vec<u64> = match reads {
            Reads::Nothing => Vec::new(),
            Reads::All => vec![inputs.all_stories],
            Reads::Structure => vec![inputs.structure],
            Reads::These(list) => list.iter().map(|&i| self.shown[i]).collect(),
        };
        // A story's own page shows its whole body; a free page, its text.
        let page = match job {
            Job::Page(i) => s.pages[*i].fingerprint,
            Job::Story(i) => s.stories[*i].fingerprint,
            _ => 0,
        };
        crate::text::fingerprint(&(
            inputs.global,
            // Pages paste story cards and journeys made from these.
            inputs.fragments,
            inputs.templates.get(template(job)),
            self.path(job),
            with_map.then_some(inputs.layout),
            stories,
            page,
        ))
    }

    /// The fingerprints of the inputs many pages share.
    /// `all_stories` is left 0 here: it needs the cards.
    fn fingerprint_inputs(
        s: &Site,
        theme: &Theme,
        site_json: &Value,
        ladder: u64,
        layout: Option<u64>,
    ) -> super::reuse::Inputs {
        use crate::text::fingerprint;
        let global = fingerprint(&(
            site_json.to_string(),
            format!("{:?}", s.config),
            ladder,
            s.pages.iter().map(|p| (&p.slug.value, &p.title)).collect::<Vec<_>>(),
        ));
        let layout = layout.unwrap_or(0);
        let templates = super::reuse::template_fingerprints(&theme.templates);
        let fragments = fingerprint(&(templates.get("card.html"), templates.get("journey.html")));
        let structure = crate::text::fingerprint_each(s.stories.iter().map(|st| st.structure_fingerprint));
        super::reuse::Inputs { global, all_stories: 0, structure, layout, templates, fragments }
    }

    /// Of everything the site-wide files that show stories (feed, search
    /// index, share cards) are made from: site.toml, the ladder and the
    /// pages' titles, and what is shown of every story.
    pub fn shown_files_key(&self) -> u64 {
        crate::text::fingerprint(&(self.inputs.global, self.inputs.all_stories))
    }

    /// Of everything the other site-wide files (sitemap, robots.txt,
    /// map.svg) are made from: the same site inputs, every story's
    /// structure (paths and dates) and the map's layout.
    pub fn structure_files_key(&self) -> u64 {
        crate::text::fingerprint(&(self.inputs.global, self.inputs.structure, self.inputs.layout))
    }

    /// A share card in the site's colours (see `share`).
    fn share_card(&self, headline: &str, footer: String) -> share::Card {
        let c = &self.site.config;
        let kicker = if c.brand.company.is_empty() { c.title.clone() } else { c.brand.company.clone() };
        share::Card {
            kicker,
            headline: headline.to_string(),
            footer,
            background: c.brand.primary_color.clone(),
            text: views::readable_on(&c.brand.primary_color).into(),
            accent: c.brand.accent_color.clone(),
        }
    }

    /// Story `i`'s share card and its file (used when it has no photo).
    fn story_share_card(&self, i: Ix) -> (share::Card, String) {
        let card = &self.cards[i];
        let sc = self.share_card(&card.title, format!("{} · {}", card.name, card.role.name));
        let file = sc.path("stories", &card.slug);
        (sc, file)
    }

    /// Role `i`'s share card and its file.
    fn role_share_card(&self, i: usize) -> (share::Card, String) {
        let Some(l) = &self.site.ladder else {
            return (self.share_card("", String::new()), String::new());
        };
        let r = &l.roles[i];
        let track = l.tracks.iter().find(|t| t.id.value == r.track.value).map_or("", |t| t.name.as_str());
        let sc = self.share_card(&r.title, format!("{track} · Level {}", r.level));
        let file = sc.path("roles", &r.id.value);
        (sc, file)
    }

    /// Every share card the pages point at: stories without a photo social
    /// networks can show, and roles. Drawn when written or served, not here.
    pub fn share_cards(&self) -> Vec<Output> {
        use rayon::prelude::*;
        let stories =
            (0..self.site.stories.len()).into_par_iter().filter(|&i| share::needs_card(&self.site.stories[i]));
        let mut cards: Vec<(share::Card, String)> = stories.map(|i| self.story_share_card(i)).collect();
        let roles = self.site.ladder.as_ref().map_or(0, |l| l.roles.len());
        cards.extend((0..roles).map(|i| self.role_share_card(i)));
        cards.into_iter().map(|(c, path)| Output { path, content: Content::ShareCard(Arc::new(c)) }).collect()
    }

    /// `search.json` (see `search`).
    pub fn search_index(&self) -> String {
        super::search::index(self.site, &self.cards)
    }

    pub fn excerpts(&self) -> Vec<String> {
        self.cards.iter().map(|c| c.excerpt.clone()).collect()
    }

    /// Site paths of the HTML pages for the sitemap, with a last-modified date.
    pub fn sitemap_entries(&self, jobs: &[Job]) -> Vec<(String, Option<String>)> {
        jobs.iter()
            .filter(|j| !matches!(j, Job::NotFound))
            .map(|j| {
                let lastmod = match j {
                    Job::Story(i) => Some(self.site.stories[*i].date.to_string()),
                    _ => None,
                };
                (self.path(j), lastmod)
            })
            .collect()
    }

    /// `/map.svg`: the full map as a file of its own.
    pub fn full_map_svg(&self) -> Option<String> {
        self.draw(MapOptions { standalone: true, ..self.map_options("map", "Career path map", Vec::new()) })
    }

    /// The map as SVG for the page at site path `page`, its links relative
    /// to it (the page's template gets [`MAP_HOLE`] in its place).
    fn map_svg(&self, page: &str, id: &str, title: &str, highlights: Vec<Highlight>) -> Option<String> {
        let d = self.map.as_ref()?;
        let prepared = d.relative_to(&self.site.config.base.path, &super::links::prefix(page));
        Some(map::svg::render_with(&d.layout, &prepared, &self.map_options(id, title, highlights)))
    }

    /// Story `i`'s journey as a compact map (see `map::compact`) for its
    /// page at `page`: a column a phone shows whole, a few kilobytes where
    /// the full ladder was most of the page. Its links are made relative
    /// here, as it is pasted after the page's links were (see [`MAP_HOLE`]).
    fn journey_map_svg(&self, i: Ix, page: &str) -> Option<String> {
        let d = self.map.as_ref()?;
        let story = &self.site.stories[i];
        let steps: Vec<_> = story.path.iter().map(|st| st.place.clone()).collect();
        let years: Vec<String> = self.cards[i].journey.iter().map(|st| st.years.clone()).collect();
        let opts = map::compact::CompactOptions {
            id: format!("story-{}", story.slug.value),
            title: format!("{}'s journey: {}", story.name, self.site.config.title),
            description: format!("{}'s journey on the career ladder:", story.name),
            color: map::svg::HIGHLIGHT_COLORS[0].into(),
        };
        let svg = map::compact::journey(&d.ladder, &steps, &years, &opts);
        Some(super::links::relativize(&svg, &self.site.config.base.path, &super::links::prefix(page)))
    }

    /// Each track as a compact map, for the map page's narrow-screen form
    /// (name, colour, SVG); its links are made relative with the page's.
    fn track_maps(&self) -> Vec<Value> {
        let Some(d) = self.map.as_ref() else { return Vec::new() };
        d.ladder
            .tracks
            .iter()
            .filter_map(|t| {
                let opts = map::compact::CompactOptions {
                    id: format!("track-{}", t.id),
                    title: format!("{}: roles by level", t.name),
                    description: format!(
                        "The roles of {} from the highest level down, the ladder's moves up the track as arrows and the other moves out of each role as dashed chips.",
                        t.name
                    ),
                    color: String::new(),
                };
                let svg = map::compact::track(&d.ladder, &t.id, &opts);
                (!svg.is_empty()).then(|| json!({ "id": t.id, "name": t.name, "color": t.color, "svg": svg }))
            })
            .collect()
    }

    /// Draws the prepared map (none without a ladder).
    fn draw(&self, opts: MapOptions) -> Option<String> {
        let d = self.map.as_ref()?;
        Some(map::svg::render_with(&d.layout, &d.prepared, &opts))
    }

    /// The full map (every journey's moves) when nothing is highlighted; the
    /// ladder with the highlighted journeys on top otherwise.
    fn map_options(&self, id: &str, title: &str, highlights: Vec<Highlight>) -> MapOptions {
        let roles = self.site.ladder.as_ref().map_or(0, |l| l.roles.len());
        let description = if highlights.is_empty() {
            format!(
                "{roles} roles of the career ladder by track and level, the moves between them, and the journeys of {} people. Line width shows how many people made a move.",
                self.site.stories.len()
            )
        } else {
            let names: Vec<&str> = highlights.iter().map(|h| h.label.as_str()).collect();
            format!("{roles} roles of the career ladder by track and level and the moves between them, with {} drawn in bold.", names.join(", "))
        };
        MapOptions {
            standalone: false,
            traffic: highlights.is_empty(),
            description,
            title: format!("{title}: {}", self.site.config.title),
            id: id.into(),
            highlights,
        }
    }

    /// The file a page is written to (`stories/ana/index.html`).
    pub fn output_path(&self, job: &Job) -> String {
        output_path(self.path(job))
    }

    /// The site path of a page (`stories/ana/`), as used in URLs.
    fn path(&self, job: &Job) -> String {
        let s = self.site;
        match *job {
            Job::Home => String::new(),
            Job::Stories => "stories/".into(),
            Job::Story(i) => views::story_path(&s.stories[i]),
            Job::Roles => "roles/".into(),
            Job::Role(i) => format!("roles/{}/", s.ladder.as_ref().map_or("", |l| l.roles[i].id.value.as_str())),
            Job::Map => "map/".into(),
            Job::Families => "families/".into(),
            Job::Family(i) => format!("families/{}/", s.families[i].slug),
            Job::TaxonIndex(kind) => format!("{kind}/"),
            Job::Taxon(kind, i) => format!("{kind}/{}/", self.taxa(kind)[i].slug),
            Job::Page(i) => format!("{}/", s.pages[i].slug.value),
            Job::NotFound => "404.html".into(),
        }
    }

    fn taxa(&self, kind: &str) -> &[crate::model::Taxon] {
        if kind == "tags" {
            &self.site.tags
        } else {
            &self.site.origins
        }
    }

    pub fn run(&self, job: &Job) -> Result<Output, Diagnostic> {
        let path = self.path(job);
        let template = template(job);
        let (meta, vars) = self.page(job, &path);
        // Built as one JSON object and handed over whole: `Context::insert`
        // would copy every value again (the card lists are large).
        let mut vars = match vars {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let map_svg = match vars.get_mut("map_svg") {
            Some(v @ Value::String(_)) => Some(std::mem::replace(v, Value::String(MAP_HOLE.into()))),
            _ => None,
        };
        vars.insert("site".into(), self.site_json.clone());
        vars.insert("page".into(), serde_json::to_value(&meta).unwrap_or(Value::Null));
        let ctx = tera::Context::from_value(Value::Object(vars)).unwrap_or_default();
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| template_error(self.theme, template, &e, &format!("/{path}")))?;
        // The 404 page is served at any depth, so it keeps links from the site root.
        let html = match job {
            Job::NotFound => html,
            _ => super::links::relativize(&html, &self.site.config.base.path, &super::links::prefix(&path)),
        };
        let html = match map_svg {
            Some(Value::String(svg)) => html.replace(MAP_HOLE, &svg),
            _ => html,
        };
        Ok(Output { path: output_path(path), content: Content::Bytes(html.into_bytes().into()) })
    }

    fn page(&self, job: &Job, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let title = &s.config.title;
        match *job {
            Job::Home => {
                let mut featured: Vec<&Card> = self.cards.iter().map(|c| &**c).filter(|c| c.featured).collect();
                if featured.is_empty() {
                    featured = self.cards.iter().map(|c| &**c).take(3).collect();
                }
                let meta = PageMeta::new(s, path, title, &s.config.description, seo::home(s));
                let map_svg = self.map_svg(path, "home-map", "Career path map", Vec::new());
                let latest: Vec<&Card> = self
                    .cards
                    .iter()
                    .map(|c| &**c)
                    .filter(|c| !featured.iter().any(|f| f.slug == c.slug))
                    .take(6)
                    .collect();
                (
                    meta,
                    json!({ "featured": featured, "latest": latest, "map_svg": map_svg,
                    "story_count": s.stories.len(), "role_count": s.ladder.as_ref().map_or(0, |l| l.roles.len()),
                    "track_count": s.ladder.as_ref().map_or(0, |l| l.tracks.len()) }),
                )
            }
            Job::Stories => {
                let ld = seo::cards_list(s, path, "Career stories", self.cards.iter().map(|c| &**c));
                let meta = PageMeta::new(
                    s,
                    path,
                    "Career stories",
                    &format!(
                        "{} stories of how people found their way into the industry and grew in it.",
                        s.stories.len()
                    ),
                    ld,
                );
                let tags: Vec<Value> = s.tags.iter().map(|t| views::taxon_view(t, "tags", s)).collect();
                let origins: Vec<Value> = s.origins.iter().map(|t| views::taxon_view(t, "origins", s)).collect();
                // Every card, pasted as one string: a JSON context of every
                // card would cost more than the page itself on large sites.
                let cards_html: String = self.cards.iter().map(|c| c.html.as_str()).collect();
                (
                    meta,
                    json!({ "cards_html": cards_html, "story_count": self.cards.len(), "tags": tags, "origins": origins }),
                )
            }
            Job::Story(i) => self.story(i, path),
            Job::Roles => self.roles(path),
            Job::Role(i) => self.role(i, path),
            Job::Map => self.map_page(path),
            Job::Families => {
                let fams: Vec<Value> = s.families.iter().map(|f| self.family_view(f)).collect();
                let items: Vec<(String, String)> =
                    s.families.iter().map(|f| (self.family_name(f), self.family_url(f))).collect();
                let ld = seo::item_list(s, path, "Families", &items);
                let meta = PageMeta::new(s, path, "Families", "Parents and children who both built careers here.", ld);
                (meta, json!({ "families": fams }))
            }
            Job::Family(i) => self.family(i, path),
            Job::TaxonIndex(kind) => {
                let items: Vec<Value> = self.taxa(kind).iter().map(|t| views::taxon_view(t, kind, s)).collect();
                let name = if kind == "tags" { "Tags" } else { "How people got in" };
                let pairs: Vec<(String, String)> = self
                    .taxa(kind)
                    .iter()
                    .map(|t| (t.name.clone(), s.config.base.link(&format!("{kind}/{}/", t.slug))))
                    .collect();
                let meta = PageMeta::new(s, path, name, name, seo::item_list(s, path, name, &pairs));
                (meta, json!({ "kind": kind, "title": name, "items": items }))
            }
            Job::Taxon(kind, i) => {
                let t = &self.taxa(kind)[i];
                let cards = views::cards(&self.cards, &t.stories);
                let heading = if kind == "tags" {
                    format!("Stories tagged “{}”", t.name)
                } else {
                    format!("Got in: {}", t.name)
                };
                let ld = seo::cards_list(s, path, &heading, cards.iter().copied());
                let meta =
                    PageMeta::new(s, path, &heading, &format!("{} career stories: {}.", cards.len(), t.name), ld);
                let index = Link {
                    name: if kind == "tags" { "All tags".into() } else { "All origins".into() },
                    url: s.config.base.link(&format!("{kind}/")),
                };
                (meta, json!({ "kind": kind, "title": heading, "name": t.name, "stories": cards, "index": index }))
            }
            Job::Page(i) => {
                let p = &s.pages[i];
                let desc = p.description.clone().unwrap_or_else(|| markdown::plain_text(&p.body, 160));
                let meta = PageMeta::new(s, path, &p.title, &desc, seo::web_page(s, path, &p.title));
                (meta, json!({ "content": markdown::to_html(&p.body), "title": p.title, "extra": p.extra }))
            }
            Job::NotFound => {
                let meta = PageMeta::new(
                    s,
                    path,
                    "Page not found",
                    "This page does not exist.",
                    seo::web_page(s, path, "Page not found"),
                );
                (meta, json!({}))
            }
        }
    }

    fn links(&self, ixs: &[Ix]) -> Vec<Link> {
        ixs.iter().map(|&i| Link { name: self.cards[i].name.clone(), url: self.cards[i].url.clone() }).collect()
    }

    fn story(&self, i: Ix, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let story = &s.stories[i];
        let card: &Card = &self.cards[i];
        let rel = &s.relations[i];
        let mut meta = PageMeta::new(
            s,
            path,
            &story.title,
            &format!("{}, {}: {}", story.name, card.role.name, card.excerpt),
            seo::story(s, story, card),
        )
        .article();
        meta = match (&story.photo, &story.photo_alt) {
            (Some(url), Some(alt)) if !share::needs_card(story) => {
                meta.image(s.config.base.absolute(&url.value), alt.clone())
            }
            _ => {
                let (card, file) = self.story_share_card(i);
                meta.share_card(s.config.base.absolute(&file), card_alt(&card))
            }
        };
        let map_svg = self.journey_map_svg(i, path);
        let family = s.family_of[i].map(|f| Link {
            name: self.family_name(&s.families[f]),
            url: s.config.base.link(&format!("families/{}/", s.families[f].slug)),
        });
        let related: Vec<&Card> = self.related(i).iter().map(|&j| &*self.cards[j]).collect();
        (
            meta,
            json!({
                "story": card,
                "content": markdown::to_html(&story.body),
                "journey": card.journey,
                "relations": { "parents": self.links(&rel.parents), "children": self.links(&rel.children),
                               "mentors": self.links(&rel.mentors), "mentees": self.links(&rel.mentees) },
                "family": family,
                "related": related,
                "map_svg": map_svg,
                "map_url": self.map.as_ref().map(|_| s.config.base.link("map/")),
                "extra": story.extra,
            }),
        )
    }

    /// The related stories of story `i` (see [`related_stories`]).
    fn related(&self, i: Ix) -> &[Ix] {
        &self.related[i]
    }

    fn roles(&self, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let Some(l) = &s.ladder else {
            return (PageMeta::new(s, path, "Roles", "", Value::Null), json!({}));
        };
        let tracks: Vec<Value> = l
            .tracks
            .iter()
            .map(|t| {
                let mut levels: Vec<u32> = l.roles.iter().filter(|r| r.track.value == t.id.value).map(|r| r.level).collect();
                levels.sort_unstable();
                levels.dedup();
                let levels: Vec<Value> = levels
                    .into_iter()
                    .map(|lv| {
                        let roles: Vec<Value> = l.roles.iter().filter(|r| r.track.value == t.id.value && r.level == lv).map(|r| {
                            json!({ "title": r.title, "url": s.config.base.link(&format!("roles/{}/", r.id.value)), "summary": r.summary,
                                    "people": s.roles.get(&r.id.value).map_or(0, RoleStats::held) })
                        }).collect();
                        json!({ "level": lv, "roles": roles })
                    })
                    .collect();
                json!({ "id": t.id.value, "name": t.name, "description": t.description, "color": t.color, "levels": levels })
            })
            .collect();
        let items: Vec<(String, String)> =
            l.roles.iter().map(|r| (r.title.clone(), s.config.base.link(&format!("roles/{}/", r.id.value)))).collect();
        let ld = seo::item_list(s, path, "Roles", &items);
        let meta = PageMeta::new(
            s,
            path,
            "Roles",
            &format!("{} roles over {} tracks, from entry level up.", l.roles.len(), l.tracks.len()),
            ld,
        );
        (meta, json!({ "tracks": tracks }))
    }

    fn role(&self, i: usize, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let Some(l) = &s.ladder else {
            return (PageMeta::new(s, path, "", "", Value::Null), json!({}));
        };
        let r = &l.roles[i];
        let track = l.tracks.iter().find(|t| t.id.value == r.track.value);
        let track_name = track.map_or("", |t| t.name.as_str());
        let stats = s.roles.get(&r.id.value).cloned().unwrap_or_default();
        let link = |id: &str| views::role_link(s, id);
        let prev: Vec<Link> = l
            .roles
            .iter()
            .filter(|o| o.next.iter().any(|n| n.value == r.id.value))
            .map(|o| link(&o.id.value))
            .collect();
        let pay = r.pay.as_ref().map(|p| {
            json!({ "min": p.min, "max": p.max, "currency": p.currency, "period": p.period,
            "text": format!("{} {}–{} per {}", p.currency, thousands(p.min), thousands(p.max), p.period) })
        });
        let desc =
            if r.summary.is_empty() { format!("{}: a role in {track_name}.", r.title) } else { r.summary.clone() };
        let (card, file) = self.role_share_card(i);
        let meta = PageMeta::new(s, path, &r.title, &desc, seo::occupation(s, r, track_name))
            .share_card(s.config.base.absolute(&file), card_alt(&card));
        (
            meta,
            json!({
                "role": { "id": r.id.value, "title": r.title, "level": r.level, "summary": r.summary, "skills": r.skills, "pay": pay },
                "track": track.map(|t| json!({ "name": t.name, "color": t.color, "description": t.description })),
                "next": r.next.iter().map(|n| link(&n.value)).collect::<Vec<_>>(),
                "prev": prev,
                "now": views::cards(&self.cards, &stats.now),
                "before": views::cards(&self.cards, &stats.before),
                "came_from": views::counts(s, &stats.came_from),
                "went_next": views::counts(s, &stats.went_next),
                "held": stats.held(),
                "moved_on": stats.before.len(),
                "stay": stats.median_stay().map(|m| json!({ "years": years_text(m), "stays": stats.stays.len() })),
            }),
        )
    }

    fn map_page(&self, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let svg = self.map_svg(path, "full-map", "Career path map", Vec::new());
        let legend: Vec<Value> =
            s.ladder.iter().flat_map(|l| &l.tracks).map(|t| json!({ "name": t.name, "color": t.color })).collect();
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
        let items: Vec<(String, String)> = s
            .ladder
            .iter()
            .flat_map(|l| &l.roles)
            .map(|r| (r.title.clone(), s.config.base.link(&format!("roles/{}/", r.id.value))))
            .collect();
        let mut ld = seo::item_list(s, path, "Career path map", &items);
        ld["associatedMedia"] = json!({ "@type": "ImageObject", "contentUrl": s.config.base.absolute("map.svg"), "encodingFormat": "image/svg+xml" });
        let meta = PageMeta::new(
            s,
            path,
            "Career path map",
            "Every role of the ladder, the moves between them and the real journeys people took.",
            ld,
        );
        (
            meta,
            json!({ "map_svg": svg, "legend": legend, "journeys": journeys, "moves": moves, "svg_url": s.config.base.link("map.svg"),
                    "track_maps": self.track_maps() }),
        )
    }

    fn family_name(&self, f: &crate::model::Family) -> String {
        format!("{} and family", self.site.stories[f.members[0]].name)
    }

    fn family_url(&self, f: &crate::model::Family) -> String {
        self.site.config.base.link(&format!("families/{}/", f.slug))
    }

    fn family_view(&self, f: &crate::model::Family) -> Value {
        json!({ "slug": f.slug, "name": self.family_name(f), "url": self.family_url(f),
                "members": self.links(&f.members) })
    }

    fn family(&self, i: usize, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let f = &s.families[i];
        let name = self.family_name(f);
        let members: Vec<Value> = f.members.iter().enumerate().map(|(k, &m)| {
            let rel = &s.relations[m];
            json!({ "card": &*self.cards[m], "color": map::svg::HIGHLIGHT_COLORS[k % HIGHLIGHT_COLORS_LEN], "journey": self.cards[m].journey,
                    "parents": self.links(&rel.parents), "children": self.links(&rel.children) })
        }).collect();
        let hls = f
            .members
            .iter()
            .enumerate()
            .map(|(k, &m)| Highlight {
                label: format!("{}'s journey", s.stories[m].name),
                steps: s.stories[m].path.iter().map(|st| st.place.clone()).collect(),
                color: map::svg::HIGHLIGHT_COLORS[k % HIGHLIGHT_COLORS_LEN].into(),
            })
            .collect();
        let map_svg = self.map_svg(path, &format!("family-{}", f.slug), &format!("Journeys of {name}"), hls);
        let cards = views::cards(&self.cards, &f.members);
        let ld = seo::cards_list(s, path, &name, cards.iter().copied());
        let meta = PageMeta::new(
            s,
            path,
            &name,
            &format!(
                "{} family members and the paths they took: {}.",
                f.members.len(),
                cards.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
            ld,
        );
        (meta, json!({ "family": self.family_view(f), "members": members, "map_svg": map_svg }))
    }
}

/// A share card's text alternative: what it says.
fn card_alt(c: &share::Card) -> String {
    format!("{}: {} ({})", c.kicker, c.headline, c.footer)
}

/// 52000 -> "52,000".
fn thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain way: score every candidate, sort by score then age.
    fn related_by_sorting(i: Ix, lists: &[(&[Ix], usize)]) -> Vec<Ix> {
        let mut score = std::collections::BTreeMap::new();
        for &(list, w) in lists {
            for &j in list.iter().filter(|&&j| j != i).take(RELATED_SCAN) {
                *score.entry(j).or_insert(0) += w;
            }
        }
        let mut all: Vec<(usize, Ix)> = score.into_iter().map(|(j, s)| (s, j)).collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        all.into_iter().take(3).map(|(_, j)| j).collect()
    }

    #[test]
    fn merged_related_stories_match_sorting_every_candidate() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        for case in 0..2000 {
            let stories = 1 + next(400);
            let lists: Vec<(Vec<Ix>, usize)> = (0..next(6))
                .map(|k| {
                    let mut l: Vec<Ix> = (0..next(300)).map(|_| next(stories as u64)).collect();
                    l.sort_unstable();
                    l.dedup();
                    (l, if k == 0 { 2 } else { 1 })
                })
                .collect();
            let lists: Vec<(&[Ix], usize)> = lists.iter().map(|(l, w)| (&l[..], *w)).collect();
            let i = next(stories as u64);
            assert_eq!(related_stories(i, &lists), related_by_sorting(i, &lists), "case {case}");
        }
    }
}
