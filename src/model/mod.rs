//! Stage 3, model: the validated site with everything derived once —
//! published stories in order, inverse relations, families, journeys, moves
//! and per-role statistics, tags and origins. Renderers only read it.

mod families;
pub mod jobs;

/// The build date (`SOURCE_DATE_EPOCH` when set): openings past their
/// `valid_through` on it leave no trace.
pub fn build_date() -> crate::load::fields::Date {
    let (y, m, d) = crate::clock::today();
    crate::load::fields::Date { year: y as u16, month: m as u8, day: d as u8 }
}

use crate::load::config::Config;
use crate::load::ladder::{Ladder, Role};
use crate::load::page::Page;
use crate::load::story::{Place, Story};
use crate::load::Loaded;
use crate::text::slugify;
use std::collections::BTreeMap;

pub use families::Family;

/// Index of a story in [`Site::stories`].
pub type Ix = usize;

#[derive(Debug)]
pub struct Site {
    pub root: std::path::PathBuf,
    pub config: Config,
    pub ladder: Option<Ladder>,
    /// Published stories, newest first (date, then slug).
    pub stories: Vec<Story>,
    /// Relations per story, inverses derived, drafts left out.
    pub relations: Vec<Relations>,
    /// Published pages by weight, then title.
    pub pages: Vec<Page>,
    pub families: Vec<Family>,
    /// Which family each story belongs to, if any.
    pub family_of: Vec<Option<usize>>,
    pub roles: BTreeMap<String, RoleStats>,
    pub tags: Vec<Taxon>,
    pub origins: Vec<Taxon>,
    pub static_files: Vec<String>,
    /// The live openings, mapped to roles (see `jobs`).
    pub jobs: Vec<jobs::Opening>,
    /// Each role's live openings, indexes into `jobs` (see `jobs::by_role`).
    pub jobs_by_role: BTreeMap<String, Vec<usize>>,
    /// The filters of `/jobs/` (see `jobs::Group`).
    pub jobs_by_location: Vec<jobs::Group>,
    pub jobs_by_track: Vec<jobs::Group>,
    /// The image plan (see `crate::media`): set by the pipeline after the
    /// model, from the stories and the theme's sizes.
    pub media: std::sync::Arc<crate::media::Plan>,
    /// The UI words of the site's language (see `crate::i18n`): set by the
    /// pipeline from the theme; the built-in English until then.
    pub words: std::sync::Arc<crate::i18n::Words>,
    /// Which of `config.languages` this is (0: the default). A
    /// multilingual site is modelled once per language (see
    /// [`Site::build_all`]); `config` then holds that language's title,
    /// description, call to action and folder.
    pub lang: usize,
    /// Ladder tracks and roles without (a full) translation into this
    /// language, with where they are in the ladder (for `check`).
    pub untranslated: Vec<(String, std::ops::Range<usize>)>,
}

#[derive(Debug, Default, Clone)]
pub struct Relations {
    pub parents: Vec<Ix>,
    pub children: Vec<Ix>,
    pub mentors: Vec<Ix>,
    pub mentees: Vec<Ix>,
}

/// What the journeys say about one role.
#[derive(Debug, Default, Clone)]
pub struct RoleStats {
    /// People whose current role this is.
    pub now: Vec<Ix>,
    /// People who held it before their current role.
    pub before: Vec<Ix>,
    /// Where people came from into this role, with counts.
    pub came_from: BTreeMap<Place, usize>,
    /// Where people went next from this role, with counts.
    pub went_next: BTreeMap<Place, usize>,
    /// Years each finished stay in the role lasted, where the journey gives
    /// both ends (a step's `to`, or where the next step starts), sorted.
    pub stays: Vec<i64>,
}

impl RoleStats {
    /// Everyone whose journey passes through the role, now or before
    /// (`before` leaves out those in it now, so the two never overlap).
    pub fn held(&self) -> usize {
        self.now.len() + self.before.len()
    }

    /// The median of [`RoleStats::stays`], in years; `None` without any.
    pub fn median_stay(&self) -> Option<f64> {
        let n = self.stays.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(self.stays[n / 2] as f64),
            _ => Some((self.stays[n / 2 - 1] + self.stays[n / 2]) as f64 / 2.0),
        }
    }
}

/// A tag or an origin: a named group of stories at `/<kind>/<slug>/`.
#[derive(Debug, Clone)]
pub struct Taxon {
    pub slug: String,
    pub name: String,
    pub stories: Vec<Ix>,
}

/// The moves of a journey: consecutive distinct places.
pub fn moves(path: &[crate::load::story::Step]) -> impl Iterator<Item = (&Place, &Place)> {
    path.windows(2).map(|w| (&w[0].place, &w[1].place)).filter(|(a, b)| a != b)
}

impl Site {
    /// The model of every language of a loaded site that passed
    /// validation, the default language first: each with the stories and
    /// pages written in it, the ladder in its words, and its own
    /// site.toml texts and folder.
    pub fn build_all(mut loaded: Loaded, drafts: bool) -> Vec<Site> {
        let n = loaded.config.languages.len();
        if n == 1 {
            return vec![Site::build(loaded, drafts)];
        }
        let mut stories: Vec<Vec<Story>> = (0..n).map(|_| Vec::new()).collect();
        for s in std::mem::take(&mut loaded.stories) {
            let k = loaded.config.lang_index(s.lang.as_deref()).unwrap_or(0);
            stories[k].push(s);
        }
        let mut pages: Vec<Vec<Page>> = (0..n).map(|_| Vec::new()).collect();
        for p in std::mem::take(&mut loaded.pages) {
            let k = loaded.config.lang_index(p.lang.as_deref()).unwrap_or(0);
            pages[k].push(p);
        }
        let mut parts = Vec::with_capacity(n);
        for (k, (stories, pages)) in stories.into_iter().zip(pages).enumerate() {
            let mut part = Loaded { stories, pages, ..loaded.clone() };
            let lang = loaded.config.languages[k].clone();
            let c = &mut part.config;
            c.language = lang.code.value.clone();
            c.base.lang = lang.prefix.clone();
            if k > 0 {
                c.title = lang.title.unwrap_or_else(|| c.title.clone());
                c.description = lang.description.unwrap_or_else(|| c.description.clone());
                c.cta = lang.cta.or(c.cta.take());
            }
            let mut untranslated = Vec::new();
            if k > 0 {
                if let Some(l) = &part.ladder {
                    let (l, missing) = l.translated(&lang.code.value);
                    part.ladder = Some(l);
                    untranslated = missing;
                }
            }
            parts.push((part, untranslated));
        }
        // Each language's model is its own: they are made side by side.
        use rayon::prelude::*;
        parts
            .into_par_iter()
            .enumerate()
            .map(|(k, (part, untranslated))| {
                let mut site = Site::build(part, drafts);
                site.lang = k;
                site.untranslated = untranslated;
                site
            })
            .collect()
    }

    /// Builds the model from a loaded site that passed validation.
    pub fn build(loaded: Loaded, drafts: bool) -> Site {
        let mut stories: Vec<Story> = loaded.stories.into_iter().filter(|s| drafts || !s.draft).collect();
        stories.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.value.cmp(&b.slug.value)));
        let mut pages: Vec<Page> = loaded.pages.into_iter().filter(|p| drafts || !p.draft).collect();
        pages.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.title.cmp(&b.title)));

        let relations = derive_relations(&stories);
        let (families, family_of) = families::find(&stories, &relations);
        let roles = role_stats(loaded.ladder.as_ref(), &stories);
        let tags = taxons(&stories, |s| s.tags.clone());
        let origins = taxons(&stories, |s| s.origin.iter().cloned().collect());
        let jobs = jobs::openings(&loaded.jobs, &loaded.config.jobs, loaded.ladder.as_ref(), build_date());
        let jobs_by_track = jobs::by_track(&jobs, loaded.ladder.as_ref());
        Site {
            root: loaded.root,
            config: loaded.config,
            ladder: loaded.ladder,
            stories,
            relations,
            pages,
            families,
            family_of,
            roles,
            tags,
            origins,
            static_files: loaded.static_files,
            jobs_by_role: jobs::by_role(&jobs),
            jobs_by_location: jobs::by_location(&jobs),
            jobs_by_track,
            jobs,
            media: Default::default(),
            words: crate::i18n::Words::shared_english(),
            lang: 0,
            untranslated: Vec::new(),
        }
    }

    /// Puts stories read again in the place of the published stories of
    /// the same file. Only for stories of the same structure
    /// ([`Story::same_structure`]): everything validation checks across
    /// files and everything the model derives comes from it, so nothing
    /// else changes. A draft left out of the site stays out.
    pub fn replace_stories(&mut self, stories: Vec<Story>) {
        for s in stories {
            if let Some(old) = self.stories.iter_mut().find(|o| o.file == s.file) {
                debug_assert!(old.same_structure(&s));
                *old = s;
            }
        }
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.ladder.as_ref()?.roles.iter().find(|r| r.id.value == id)
    }

    /// A role's display title; the id itself when there is no ladder.
    pub fn role_title(&self, id: &str) -> String {
        self.role(id).map_or_else(|| id.to_string(), |r| r.title.clone())
    }
}

fn derive_relations(stories: &[Story]) -> Vec<Relations> {
    let index: BTreeMap<&str, Ix> = stories.iter().enumerate().map(|(i, s)| (s.slug.value.as_str(), i)).collect();
    let mut rel = vec![Relations::default(); stories.len()];
    for (i, s) in stories.iter().enumerate() {
        // Relations to unpublished (draft) stories are not in `index`: dropped.
        for p in s.parents.iter().filter_map(|p| index.get(p.value.as_str())) {
            rel[i].parents.push(*p);
            rel[*p].children.push(i);
        }
        for m in s.mentors.iter().filter_map(|m| index.get(m.value.as_str())) {
            rel[i].mentors.push(*m);
            rel[*m].mentees.push(i);
        }
    }
    for r in &mut rel {
        for list in [&mut r.parents, &mut r.children, &mut r.mentors, &mut r.mentees] {
            list.sort_unstable();
            list.dedup();
        }
    }
    rel
}

/// Statistics for every ladder role, and for the current role of every
/// story (so "same role" works without a ladder too).
fn role_stats(ladder: Option<&Ladder>, stories: &[Story]) -> BTreeMap<String, RoleStats> {
    let mut stats: BTreeMap<String, RoleStats> =
        ladder.iter().flat_map(|l| &l.roles).map(|r| (r.id.value.clone(), RoleStats::default())).collect();
    for (i, s) in stories.iter().enumerate() {
        stats.entry(s.role.value.clone()).or_default().now.push(i);
        let mut held: Vec<&str> = s
            .path
            .iter()
            .filter_map(|st| match &st.place {
                Place::Role(id) if *id != s.role.value => Some(id.as_str()),
                _ => None,
            })
            .collect();
        held.sort_unstable();
        held.dedup();
        for id in held {
            if let Some(st) = stats.get_mut(id) {
                st.before.push(i);
            }
        }
        for (k, st) in s.path.iter().enumerate() {
            let Place::Role(id) = &st.place else { continue };
            let last = k + 1 == s.path.len();
            if let (Some(f), Some(t), Some(rs)) = (st.from, crate::load::story::step_end(&s.path, k), stats.get_mut(id))
            {
                if !last && t >= f {
                    rs.stays.push(t - f);
                }
            }
        }
        for (from, to) in moves(&s.path) {
            if let Place::Role(id) = to {
                if let Some(st) = stats.get_mut(id) {
                    *st.came_from.entry(from.clone()).or_default() += 1;
                }
            }
            if let Place::Role(id) = from {
                if let Some(st) = stats.get_mut(id) {
                    *st.went_next.entry(to.clone()).or_default() += 1;
                }
            }
        }
    }
    for st in stats.values_mut() {
        st.stays.sort_unstable();
    }
    stats
}

/// Groups stories by the names `names` gives them, merging names with the
/// same slug (the first spelling met, in story order, is shown).
fn taxons(stories: &[Story], names: impl Fn(&Story) -> Vec<String>) -> Vec<Taxon> {
    let mut by_slug: BTreeMap<String, Taxon> = BTreeMap::new();
    for (i, s) in stories.iter().enumerate() {
        for name in names(s) {
            let slug = slugify(&name);
            if slug.is_empty() {
                continue;
            }
            let t = by_slug.entry(slug.clone()).or_insert_with(|| Taxon {
                slug,
                name: crate::text::display_name(&name),
                stories: Vec::new(),
            });
            if t.stories.last() != Some(&i) {
                t.stories.push(i);
            }
        }
    }
    by_slug.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::from_texts;

    const LADDER: &str = "[[track]]\nid = \"s\"\nname = \"S\"\n\
        [[role]]\nid = \"agent\"\ntitle = \"Agent\"\ntrack = \"s\"\nlevel = 1\nnext = [\"lead\"]\n\
        [[role]]\nid = \"lead\"\ntitle = \"Lead\"\ntrack = \"s\"\nlevel = 2\n";

    fn story(name: &str, date: &str, path: &str, extra: &str) -> String {
        format!("+++\ntitle = \"T\"\nname = \"{name}\"\ndate = {date}\nrole = \"lead\"\npath = [{path}]\n{extra}+++\n")
    }

    fn site(drafts: bool) -> Site {
        let mum = story(
            "Mum",
            "2020-01-01",
            "{ outside = \"Retail\", from = 1990 }, { role = \"agent\", from = 1995 }, \"lead\"",
            "tags = [\"Career change\"]\n",
        );
        let kid = story(
            "Kid",
            "2022-01-01",
            "{ role = \"agent\", from = 2015 }, \"lead\"",
            "tags = [\"career-change\"]\n[relations]\nparents = [\"mum\"]\nmentors = [\"mum\"]\n",
        );
        let draft =
            story("Draft", "2023-01-01", "\"agent\", \"lead\"", "draft = true\n[relations]\nparents = [\"kid\"]\n");
        let loaded = from_texts(Some(LADDER), &[("mum", &mum), ("kid", &kid), ("draft", &draft)]);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        Site::build(loaded, drafts)
    }

    #[test]
    fn inverse_relations_and_families_are_derived() {
        let s = site(false);
        let slugs: Vec<&str> = s.stories.iter().map(|x| x.slug.value.as_str()).collect();
        assert_eq!(slugs, ["kid", "mum"], "newest first, draft left out");
        assert_eq!(s.relations[1].children, vec![0]);
        assert_eq!(s.relations[1].mentees, vec![0]);
        assert_eq!(s.families.len(), 1);
        assert_eq!(s.families[0].slug, "mum", "eldest: earliest first `from` year");
        assert_eq!(s.families[0].members, vec![1, 0]);
    }

    #[test]
    fn role_statistics_count_journeys() {
        let s = site(false);
        let lead = &s.roles["lead"];
        assert_eq!(lead.now.len(), 2);
        assert_eq!(lead.came_from.get(&Place::Role("agent".into())), Some(&2));
        let agent = &s.roles["agent"];
        assert_eq!(agent.before.len(), 2);
        assert_eq!(agent.came_from.get(&Place::Outside("Retail".into())), Some(&1));
        assert_eq!(agent.went_next.get(&Place::Role("lead".into())), Some(&2));
    }

    #[test]
    fn drafts_join_only_when_asked() {
        let s = site(true);
        assert_eq!(s.stories.len(), 3);
        assert_eq!(s.families[0].members.len(), 3);
        assert_eq!(s.roles["lead"].came_from.get(&Place::Role("agent".into())), Some(&3));
    }

    #[test]
    fn tags_with_the_same_slug_merge() {
        let s = site(false);
        assert_eq!(s.tags.len(), 1);
        assert_eq!(s.tags[0].slug, "career-change");
        assert_eq!(s.tags[0].stories.len(), 2);
    }
}
