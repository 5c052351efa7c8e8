//! One function per kind of page: which template, which URL, which variables.
//! Shared pieces (site view, story cards, map layout) are computed once in
//! [`Renderer::new`] and borrowed by every page. The parts live beside it:
//! what each kind of page's template gets (`contexts`), the maps (`maps`),
//! related stories (`related`), share cards (`share_cards`).

mod contexts;
mod jobs;
mod maps;
pub mod paths;
mod related;
mod share_cards;

pub use maps::Drawing;
pub(crate) use share_cards::{brand_colours, site_card};

use super::theme::{innermost, Theme};
use super::views::{self, Card, SiteView};
use super::{Content, Output};
use crate::diagnostics::Diagnostic;
use crate::map;
use crate::model::{Ix, Site};
use serde_json::Value;
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
    /// `/jobs/`, and one opening (an index into `Site::jobs`).
    Jobs,
    /// `/jobs/` filtered: `"location"` or `"track"`, and the index of the
    /// group (`Site::jobs_by_location`, `jobs_by_track`).
    JobsIn(&'static str, usize),
    Opening(usize),
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
        Job::Jobs | Job::JobsIn(..) => "jobs.html",
        Job::Opening(_) => "job.html",
        Job::NotFound => "404.html",
    }
}

/// The title of an index page, which its breadcrumb repeats ("" for a page
/// that is not an index).
pub(super) fn index_title<'w>(w: &'w crate::i18n::Words, job: &Job) -> &'w str {
    let key = match job {
        Job::Stories => "page.stories",
        Job::Roles => "page.roles",
        Job::Map => "page.map",
        Job::Families => "page.families",
        Job::TaxonIndex("tags") => "page.tags",
        Job::TaxonIndex(_) => "page.origins",
        Job::Jobs => "page.jobs",
        _ => return "",
    };
    w.t(key)
}

fn output_path(path: String) -> String {
    if path.ends_with(".html") {
        path
    } else {
        format!("{path}index.html")
    }
}

/// A template that failed at render time, located at its file.
fn template_error(theme: &Theme, template: &str, e: &tera::Error, rendering: &str) -> Diagnostic {
    let file = theme.templates.get(template).map_or_else(|| format!("templates/{template}"), |(_, f)| f.clone());
    Diagnostic::new(file, None, format!("template error in {template}: {}", innermost(e).replace('\n', " ")))
        .label(format!("while rendering {rendering}"))
        .hint("check the variable names the template uses; see the README's template section")
}

/// The site's parts of every page (`site_head.html`, `site_header.html`,
/// `site_footer.html`), rendered once from `site` and added to it as
/// `head_html`, `header_html` and `footer_html` for `base.html` to paste:
/// made in each page, they were a third of a small page's template work.
fn site_parts(tera: &tera::Tera, theme: &Theme, site_json: &mut Value) -> Result<(), Vec<Diagnostic>> {
    let mut ctx = tera::Context::new();
    ctx.insert("site", site_json);
    let mut parts = Vec::new();
    let mut errors = Vec::new();
    for (name, key) in
        [("site_head.html", "head_html"), ("site_header.html", "header_html"), ("site_footer.html", "footer_html")]
    {
        match tera.render(name, &ctx) {
            Ok(html) => parts.push((key, html)),
            Err(e) => errors.push(template_error(theme, name, &e, "every page")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if let Value::Object(m) = site_json {
        m.extend(parts.into_iter().map(|(k, v)| (k.to_string(), Value::String(v))));
    }
    Ok(())
}

/// Variables whose HTML is pasted into the page after the template ran
/// and the page's links were made relative; the template gets a
/// placeholder ([`hole`]) in their place, and their values are relative to
/// the page already. A full map is most of the page it is on; passing it
/// through Tera and the link rewriter cost a sixth of a page's time (when
/// story pages still carried it). A story's compact map takes the same way.
/// An opening's role part and people are the same on each of the role's
/// openings' pages: made relative once, not on each page.
const PASTED: [&str; 3] = ["map_svg", "role_html", "people_html"];

/// The placeholder of variable `key` (see [`PASTED`]): an HTML comment, so
/// no escaped text and no sanitised Markdown can produce it.
fn hole(key: &str) -> String {
    format!("<!--storypath:{key}-->")
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
    /// The site's share card (absolute URL, text alternative): the image of
    /// every page without its own.
    site_image: (String, String),
    /// The Organization's logo in JSON-LD (see `seo::logo`).
    logo_ld: Value,
    /// Which pages exist in which language (see `languages`).
    langs: &'a super::languages::Languages,
    /// Per hiring role, what its openings' pages share (see `jobs`).
    opening_parts: jobs::OpeningParts,
    /// Per role of the ladder that is hiring or leads to a role that is,
    /// its stories' call to action (see `jobs::hiring_for`): the same on
    /// each of the role's stories.
    hiring: BTreeMap<String, Value>,
    /// Each opening as its page and lists show it (`Renderer::opening_view`).
    opening_views: Vec<Value>,
    /// Each opening's item in lists (see `jobs`).
    opening_items: Vec<String>,
    /// Contexts holding `site`, ready for a page (see `render_with_site`).
    contexts: std::sync::Mutex<Vec<tera::Context>>,
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
        langs: &'a super::languages::Languages,
    ) -> Result<Self, Vec<Diagnostic>> {
        use crate::load::story::Place;
        use crate::text::{fingerprint, fingerprint_each};
        use rayon::prelude::*;
        /// Between two journeys in the map's key.
        static END: Place = Place::Outside(String::new());
        let icons = super::icons::icons(site);
        let mut site_json = serde_json::to_value(SiteView::new(site, assets, &icons.links)).unwrap_or(Value::Null);
        site_parts(tera, theme, &mut site_json)?;
        let site_card = site_card(site);
        let site_image = (site.config.base.absolute(&site_card.path), site_card.alt);
        let logo_ld = super::seo::logo(site, &icons.touch);
        // The map is made from the ladder and the journeys; related lists
        // from each story's slug, role, origin and tags, in story order.
        let ladder = fingerprint(&format!("{:?}", site.ladder));
        let places = site.stories.iter().flat_map(|s| s.path.iter().map(|st| &st.place).chain([&END]));
        // The base path too: the nodes link to the role pages under it.
        // And the names: the full map's moves name the people who made them.
        let names = fingerprint_each(site.stories.iter().map(|s| &s.name));
        // And the roles hiring: their badges.
        let hiring = fingerprint_each(site.jobs_by_role.iter().map(|(id, list)| (id, list.len())));
        let map_key = fingerprint(&(ladder, &site.config.base.path, fingerprint_each(places), names, hiring));
        let related_key =
            fingerprint_each(site.stories.iter().map(|s| (&s.slug.value, &s.role.value, &s.origin, &s.tags)));
        let map = match memo.and_then(|m| m.map.as_ref()) {
            Some((k, kept)) if *k == map_key => kept.clone(),
            _ => super::map_input(site).map(|mut input| {
                let layout = map::layout(&input);
                let prepared = map::svg::prepare_with(&layout, &map::svg::people(&input, &layout));
                input.journeys = Vec::new();
                input.names = Vec::new();
                let fingerprint = fingerprint(&(format!("{layout:?}"), names));
                let colors = map::highlight_colors(&layout);
                Arc::new(Drawing { layout, ladder: input, prepared, fingerprint, colors, relative: Default::default() })
            }),
        };
        let related = match memo.and_then(|m| m.related.as_ref()) {
            Some((k, kept)) if *k == related_key => kept.clone(),
            _ => Arc::new(related::all_related(site)),
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
        let mut r = Renderer {
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
            site_image,
            logo_ld,
            langs,
            opening_parts: Default::default(),
            hiring: BTreeMap::new(),
            opening_views: Vec::new(),
            opening_items: Vec::new(),
            contexts: Default::default(),
        };
        r.opening_parts = r.make_opening_parts()?;
        r.hiring = r.hiring_ctas();
        r.opening_views = {
            use rayon::prelude::*;
            (0..site.jobs.len()).into_par_iter().map(|i| r.opening_view(i)).collect()
        };
        r.opening_items = r.opening_items(&r.opening_views)?;
        Ok(r)
    }

    /// Puts what the next run may reuse into the memo: the cards, the map
    /// and the related lists, with what they were made from. Pages are
    /// added by `render`.
    pub fn remember(&self, memo: &mut super::reuse::Memo) {
        memo.cards = self.cards.iter().zip(&self.card_keys).map(|(c, k)| (c.slug.clone(), (*k, c.clone()))).collect();
        memo.map = Some((self.map_key, self.map.clone()));
        memo.related = Some((self.related_key, self.related.clone()));
    }

    /// Renders `template` with `vars` and `site`. `site` is the same on
    /// every page, so it is not copied into each page's context: contexts
    /// that hold it are kept in a pool, and a page's own variables are
    /// moved into one and taken out after (a copy and a drop of `site` cost
    /// a tenth of a small page).
    fn render_with_site(&self, template: &str, vars: serde_json::Map<String, Value>) -> tera::Result<String> {
        let pooled = self.contexts.lock().ok().and_then(|mut p| p.pop());
        let mut ctx = pooled.unwrap_or_else(|| {
            let mut c = tera::Context::new();
            c.insert("site", &self.site_json);
            c
        });
        let keys: Vec<String> = vars.keys().cloned().collect();
        ctx.extend(tera::Context::from_value(Value::Object(vars)).unwrap_or_default());
        let html = self.tera.render(template, &ctx);
        for k in &keys {
            ctx.remove(k);
        }
        // (A page of its own `site` would have replaced, then removed it.)
        if ctx.get("site").is_some() {
            if let Ok(mut p) = self.contexts.lock() {
                p.push(ctx);
            }
        }
        html
    }

    /// Every page to render, in a stable order (see `paths`).
    pub fn jobs(&self) -> Vec<Job> {
        paths::jobs(self.site)
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
            Job::NotFound | Job::Page(_) | Job::Jobs | Job::JobsIn(..) => Reads::Nothing,
            Job::Opening(i) => Reads::These(self.opening_people(i)),
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
            // A photo replaced under the same name changes the files its
            // pages link (their names carry its bytes' hash).
            s.media.sources_fingerprint(),
            // Openings show on roles, stories, home and their own pages.
            crate::text::fingerprint_each(s.jobs.iter().map(|o| o.fingerprint())),
        ));
        let layout = layout.unwrap_or(0);
        let templates = super::reuse::template_fingerprints(&theme.templates);
        let fragments = fingerprint(&(
            templates.get("card.html"),
            templates.get("journey.html"),
            templates.get("opening.html"),
            templates.get("job_role.html"),
        ));
        let structure = crate::text::fingerprint_each(s.stories.iter().map(|st| st.structure_fingerprint));
        super::reuse::Inputs { global, all_stories: 0, structure, layout, templates, fragments }
    }

    /// Of everything the site-wide files that show stories (feed, share
    /// cards) are made from: site.toml, the ladder and the pages' titles,
    /// and what is shown of every story.
    pub fn shown_files_key(&self) -> u64 {
        crate::text::fingerprint(&(self.inputs.global, self.inputs.all_stories))
    }

    /// Of everything the search index is made from: the same site inputs
    /// and every story's whole file (it holds the words of the bodies).
    pub fn search_key(&self) -> u64 {
        let files = crate::text::fingerprint_each(self.site.stories.iter().map(|s| s.fingerprint));
        crate::text::fingerprint(&(self.inputs.global, files))
    }

    /// Of everything the other site-wide files (sitemap, robots.txt,
    /// map.svg) are made from: the same site inputs, every story's
    /// structure (paths and dates) and the map's layout.
    pub fn structure_files_key(&self) -> u64 {
        crate::text::fingerprint(&(self.inputs.global, self.inputs.structure, self.inputs.layout))
    }

    /// `search.json` (see `search`).
    pub fn search_index(&self) -> String {
        super::search::index(self.site, &self.cards)
    }

    pub fn excerpts(&self) -> Vec<String> {
        self.cards.iter().map(|c| c.excerpt.clone()).collect()
    }

    /// The file a page is written to (`stories/ana/index.html`).
    pub fn output_path(&self, job: &Job) -> String {
        output_path(self.path(job))
    }

    /// The site path of a page (`fr/stories/ana/`), as used in URLs.
    fn path(&self, job: &Job) -> String {
        paths::path(self.site, job)
    }

    pub(super) fn job_groups(&self, kind: &str) -> &[crate::model::jobs::Group] {
        paths::job_groups(self.site, kind)
    }

    /// A filter group's name as shown: the remote group's in the site's words.
    pub(super) fn group_name(&self, kind: &str, i: usize) -> String {
        let g = &self.job_groups(kind)[i];
        if kind == "location" && g.slug == crate::model::jobs::REMOTE {
            self.site.words.t("jobs.remote").to_string()
        } else {
            g.name.clone()
        }
    }

    fn taxa(&self, kind: &str) -> &[crate::model::Taxon] {
        paths::taxa(self.site, kind)
    }

    /// The index a page is listed on (a story on the stories index...), if any.
    fn parent(job: &Job) -> Option<Job> {
        match *job {
            Job::Story(_) => Some(Job::Stories),
            Job::Role(_) => Some(Job::Roles),
            Job::Family(_) => Some(Job::Families),
            Job::Taxon(kind, _) => Some(Job::TaxonIndex(kind)),
            Job::Opening(_) | Job::JobsIn(..) => Some(Job::Jobs),
            _ => None,
        }
    }

    /// A page's breadcrumbs after the home page (see `seo::breadcrumbs`):
    /// its index, if any, by the index's title, then the page itself by
    /// what it is about (a story by the person's name, a tag by the tag),
    /// else by `title`. Empty for the home page.
    fn trail(&self, job: &Job, title: &str) -> Vec<(String, String)> {
        let s = self.site;
        let name = match *job {
            Job::Home => return Vec::new(),
            Job::Story(i) => s.stories[i].name.clone(),
            Job::Family(i) => self.family_name(&s.families[i]),
            Job::Taxon(kind, i) => self.taxa(kind)[i].name.clone(),
            Job::JobsIn(kind, i) => self.group_name(kind, i),
            _ => title.to_string(),
        };
        let parent = Self::parent(job).map(|p| (index_title(&s.words, &p).to_string(), self.path(&p)));
        parent.into_iter().chain([(name, self.path(job))]).collect()
    }

    pub fn run(&self, job: &Job) -> Result<Output, Diagnostic> {
        let path = self.path(job);
        let template = template(job);
        let (meta, vars) = self.page(job, &path);
        let crumbs = super::seo::breadcrumbs(self.site, &self.trail(job, &meta.title));
        let mut meta = meta.or_image(&self.site_image.0, &self.site_image.1).finish(crumbs);
        let within = paths::page_path(self.site, job);
        meta.languages = self.langs.alternates(self.site.lang, &within);
        meta.x_default = self.langs.x_default(&within);
        // Built as one JSON object and handed over whole: `Context::insert`
        // would copy every value again (the card lists are large).
        let mut vars = match vars {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        // Taken out, and put back after the links were made relative.
        let pasted: Vec<(String, String)> = PASTED
            .iter()
            .filter_map(|&key| match vars.get_mut(key) {
                Some(Value::String(part)) => {
                    let hole = hole(key);
                    let part = std::mem::replace(part, hole.clone());
                    Some((hole, part))
                }
                _ => None,
            })
            .collect();
        vars.insert("page".into(), serde_json::to_value(&meta).unwrap_or(Value::Null));
        let html = self.render_with_site(template, vars);
        let html = html.map_err(|e| template_error(self.theme, template, &e, &format!("/{path}")))?;
        // The 404 page is served at any depth, so it keeps links from the site root.
        let html = match job {
            Job::NotFound => html,
            _ => super::links::relativize(&html, &self.site.config.base.path, &super::links::prefix(&path)),
        };
        let html = pasted.iter().fold(html, |html, (hole, part)| html.replace(hole.as_str(), part));
        Ok(Output { path: output_path(path), content: Content::Bytes(html.into_bytes().into()) })
    }
}
