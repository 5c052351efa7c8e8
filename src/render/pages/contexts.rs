//! What each kind of page's template gets: its metadata (title,
//! description, JSON-LD, share image) and its variables.

use super::{index_title, Job, Renderer};
use crate::map::Highlight;
use crate::model::{Ix, RoleStats};
use crate::render::markdown;
use crate::render::seo::{self, PageMeta};
use crate::render::video;
use crate::render::views::{self, Card, Link};
use serde_json::{json, Value};

/// A median stay as words: "under a year", "1 year", "2.5 years".
fn years_text(w: &crate::i18n::Words, years: f64) -> String {
    let tenths = (years * 10.0).round() as i64;
    if years < 1.0 {
        w.t("years.under_one").into()
    } else if tenths % 10 == 0 {
        w.tn("years.years", (tenths / 10) as u64, &[])
    } else {
        w.tn_decimal("years.years", tenths, 1, &[])
    }
}

impl Renderer<'_> {
    /// The metadata and the template's variables of the page `job` at site
    /// path `path`.
    pub(super) fn page(&self, job: &Job, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let title = &s.config.title;
        match *job {
            Job::Home => {
                let openings = self.openings_html(&self.newest_openings(5));
                let mut featured: Vec<&Card> = self.cards.iter().map(|c| &**c).filter(|c| c.featured).collect();
                if featured.is_empty() {
                    featured = self.cards.iter().map(|c| &**c).take(3).collect();
                }
                let meta = PageMeta::new(s, path, title, &s.config.description, seo::home(s, Some(&self.logo_ld)));
                let map_svg = self.map_svg(path, "home-map", s.words.t("map.title"), Vec::new());
                let latest: Vec<&Card> = self
                    .cards
                    .iter()
                    .map(|c| &**c)
                    .filter(|c| !featured.iter().any(|f| f.slug == c.slug))
                    .take(3)
                    .collect();
                // Faces for the hero: people with a photo, featured first.
                let faces: Vec<&Card> = featured
                    .iter()
                    .copied()
                    .chain(latest.iter().copied())
                    .chain(self.cards.iter().map(|c| &**c))
                    .filter(|c| c.avatar.is_some())
                    .fold(Vec::new(), |mut v: Vec<&Card>, c| {
                        if v.len() < 6 && !v.iter().any(|f| f.slug == c.slug) {
                            v.push(c);
                        }
                        v
                    });
                let moves: usize = s.stories.iter().map(|st| st.path.len().saturating_sub(1)).sum();
                let mut vars = json!({ "featured": featured, "latest": latest, "map_svg": map_svg, "faces": faces,
                    "story_count": s.stories.len(), "role_count": s.ladder.as_ref().map_or(0, |l| l.roles.len()),
                    "track_count": s.ladder.as_ref().map_or(0, |l| l.tracks.len()), "move_count": moves,
                    "entry_roles": self.entry_roles(), "job_count": s.jobs.len(),
                    "jobs_url": s.config.base.page("jobs/") });
                vars["openings_html"] = Value::String(openings);
                (meta, vars)
            }
            Job::Stories => {
                let name = index_title(&s.words, job);
                let ld = seo::cards_list(s, path, name, self.cards.iter().map(|c| &**c));
                let meta = PageMeta::new(
                    s,
                    path,
                    name,
                    &s.words.tn("page.stories_description", s.stories.len() as u64, &[]),
                    ld,
                );
                let tags: Vec<Value> = s.tags.iter().map(|t| views::taxon_view(t, "tags", s)).collect();
                let origins: Vec<Value> = s.origins.iter().map(|t| views::taxon_view(t, "origins", s)).collect();
                // Every card, pasted as one string: a JSON context of every
                // card would cost more than the page itself on large sites.
                let cards_html: String =
                    self.cards.iter().enumerate().map(|(i, c)| views::listed(i, &c.html)).collect();
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
                let name = index_title(&s.words, job);
                let ld = seo::item_list(s, path, name, &items);
                let meta = PageMeta::new(s, path, name, s.words.t("page.families_description"), ld);
                (meta, json!({ "families": fams }))
            }
            Job::Family(i) => self.family(i, path),
            Job::TaxonIndex(kind) => {
                let items: Vec<Value> = self.taxa(kind).iter().map(|t| views::taxon_view(t, kind, s)).collect();
                let name = index_title(&s.words, job);
                let pairs: Vec<(String, String)> = self
                    .taxa(kind)
                    .iter()
                    .map(|t| (t.name.clone(), s.config.base.page(&format!("{kind}/{}/", t.slug))))
                    .collect();
                let meta = PageMeta::new(s, path, name, name, seo::item_list(s, path, name, &pairs));
                (meta, json!({ "kind": kind, "title": name, "items": items }))
            }
            Job::Taxon(kind, i) => {
                let t = &self.taxa(kind)[i];
                let cards = views::cards(&self.cards, &t.stories);
                let key = if kind == "tags" { "page.tag_title" } else { "page.origin_title" };
                let heading = s.words.tf(key, &[("name", &t.name)]);
                let ld = seo::cards_list(s, path, &heading, cards.iter().copied());
                let desc = s.words.tn("page.taxon_description", cards.len() as u64, &[("name", &t.name)]);
                let meta = PageMeta::new(s, path, &heading, &desc, ld);
                let index = Link {
                    name: s.words.t(if kind == "tags" { "page.all_tags" } else { "page.all_origins" }).into(),
                    url: s.config.base.page(&format!("{kind}/")),
                };
                let mut stories = serde_json::to_value(&cards).unwrap_or_default();
                for (i, card) in stories.as_array_mut().into_iter().flatten().enumerate().take(views::FIRST_ROW) {
                    if let Some(html) = card.get("html").and_then(Value::as_str) {
                        card["html"] = views::listed(i, html).into_owned().into();
                    }
                }
                (meta, json!({ "kind": kind, "title": heading, "name": t.name, "stories": stories, "index": index }))
            }
            Job::Page(i) => {
                let p = &s.pages[i];
                let desc = p.description.clone().unwrap_or_else(|| markdown::plain_text(&p.body, 160));
                let meta = PageMeta::new(s, path, &p.title, &desc, seo::web_page(s, path, &p.title));
                let content = self.body_html(&p.body, true);
                (meta, json!({ "content": content, "title": p.title, "extra": p.extra }))
            }
            Job::Jobs => self.jobs_index(path, None),
            Job::JobsIn(kind, i) => self.jobs_index(path, Some((kind, i))),
            Job::Opening(i) => self.opening(i, path),
            Job::NotFound => {
                let w = &s.words;
                let title = w.t("page.not_found");
                let meta =
                    PageMeta::new(s, path, title, w.t("page.not_found_description"), seo::web_page(s, path, title));
                (meta, json!({}))
            }
        }
    }

    /// A story's or page's body as HTML: local images and root-relative
    /// links under the base path, resized images as `<picture>`s.
    /// `lead`: the first image is the page's largest paint (free pages).
    pub(super) fn body_html(&self, md: &str, lead: bool) -> String {
        let s = self.site;
        let picture = |path: &str| s.media.picture(path, crate::media::Use::Body).cloned();
        let body =
            markdown::Body { base_path: &s.config.base.path, picture: &picture, lead: lead.into(), words: &s.words };
        markdown::to_html_with(md, &body)
    }

    pub(super) fn links(&self, ixs: &[Ix]) -> Vec<Link> {
        ixs.iter().map(|&i| Link { name: self.cards[i].name.clone(), url: self.cards[i].url.clone() }).collect()
    }

    pub(super) fn story(&self, i: Ix, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let story = &s.stories[i];
        let card: &Card = &self.cards[i];
        let rel = &s.relations[i];
        let shared = self.story_share_card(i);
        let image = s.config.base.absolute(&shared.path);
        let ld = seo::story(s, story, card, Some(&self.logo_ld), (&image, shared.mime));
        let mut meta = PageMeta::new(s, path, &story.title, &self.story_description(i), ld).article().share_card(
            image,
            shared.alt,
            shared.mime,
        );
        // A video is a VideoObject in the Article, its thumbnail the page's image.
        if let Some(v) = &story.video {
            meta.ld["video"] = video::object(s, story, v, meta.image.as_deref());
        }
        let map_svg = self.journey_map_svg(i, path);
        let family = s.family_of[i].map(|f| Link {
            name: self.family_name(&s.families[f]),
            url: s.config.base.page(&format!("families/{}/", s.families[f].slug)),
        });
        let related: Vec<&Card> = self.related(i).iter().map(|&j| &*self.cards[j]).collect();
        let mut vars = json!({
            "story": card,
            "journey": card.journey,
            "relations": { "parents": self.links(&rel.parents), "children": self.links(&rel.children),
                           "mentors": self.links(&rel.mentors), "mentees": self.links(&rel.mentees) },
            "family": family,
            "related": related,
            "map_svg": map_svg,
            "map_url": self.map.as_ref().map(|_| s.config.base.page("map/")),
            "extra": story.extra,
            "video": video::view(s, story),
        });
        // Moved in (`json!` would copy them).
        vars["content"] = Value::String(self.body_html(&story.body, false));
        vars["hiring"] = self.hiring.get(&story.role.value).cloned().unwrap_or(Value::Null);
        (meta, vars)
    }

    pub(super) fn roles(&self, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let Some(l) = &s.ladder else {
            return (PageMeta::new(s, path, "Roles", "", Value::Null), json!({}));
        };
        // Every level of the ladder, lowest first: a level's row in the
        // ladder grid is its place here, the same in every track.
        let mut all_levels: Vec<u32> = l.roles.iter().map(|r| r.level).collect();
        all_levels.sort_unstable();
        all_levels.dedup();
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
                            json!({ "title": r.title, "url": s.config.base.page(&format!("roles/{}/", r.id.value)), "summary": r.summary,
                                    "people": s.roles.get(&r.id.value).map_or(0, RoleStats::held),
                                    "pay": r.pay.as_ref().map(|p| pay_short(&s.words, p)) })
                        }).collect();
                        let row = all_levels.iter().position(|&x| x == lv).unwrap_or(0) + 2;
                        json!({ "level": lv, "row": row, "roles": roles })
                    })
                    .collect();
                json!({ "id": t.id.value, "name": t.name, "description": t.description, "color": t.color,
                        "color_dark": views::mark_color_on_dark(&t.color), "levels": levels })
            })
            .collect();
        let items: Vec<(String, String)> =
            l.roles.iter().map(|r| (r.title.clone(), s.config.base.page(&format!("roles/{}/", r.id.value)))).collect();
        let name = index_title(&s.words, &Job::Roles);
        let ld = seo::item_list(s, path, name, &items);
        let meta = PageMeta::new(
            s,
            path,
            name,
            &s.words.tf(
                "page.roles_description",
                &[
                    ("roles", &s.words.tn("page.role_count", l.roles.len() as u64, &[])),
                    ("tracks", &s.words.tn("page.track_count", l.tracks.len() as u64, &[])),
                ],
            ),
            ld,
        );
        (meta, json!({ "tracks": tracks, "levels": all_levels, "track_count": l.tracks.len() }))
    }

    /// "Start where you are": the ladder's entry-level roles (its lowest
    /// level), each with its pay, the people who started there (up to four
    /// cards, people now in it first) and where they went next.
    fn entry_roles(&self) -> Vec<Value> {
        let s = self.site;
        let Some(l) = &s.ladder else { return Vec::new() };
        let Some(bottom) = l.roles.iter().map(|r| r.level).min() else { return Vec::new() };
        l.roles
            .iter()
            .filter(|r| r.level == bottom)
            .map(|r| {
                let stats = s.roles.get(&r.id.value).cloned().unwrap_or_default();
                let people: Vec<Ix> = stats.before.iter().chain(&stats.now).copied().take(4).collect();
                let mut next = views::counts(s, &stats.went_next);
                next.truncate(3);
                json!({ "title": r.title, "url": s.config.base.page(&format!("roles/{}/", r.id.value)),
                        "summary": r.summary, "pay": r.pay.as_ref().map(|p| pay_text(&s.words, p)), "held": stats.held(),
                        "people": views::cards(&self.cards, &people), "next": next })
            })
            .collect()
    }

    pub(super) fn role(&self, i: usize, path: &str) -> (PageMeta, Value) {
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
        let pay = r.pay.as_ref().map(
            |p| json!({ "min": p.min, "max": p.max, "currency": p.currency, "period": p.period, "text": pay_text(&s.words, p) }),
        );
        let desc = if r.summary.is_empty() {
            s.words.tf("page.role_description", &[("role", &r.title), ("track", track_name)])
        } else {
            r.summary.clone()
        };
        let shared = self.role_share_card(i);
        let meta = PageMeta::new(s, path, &r.title, &desc, seo::occupation(s, r, track_name, &desc)).share_card(
            s.config.base.absolute(&shared.path),
            shared.alt,
            shared.mime,
        );
        let mut vars = json!({
            "role": { "id": r.id.value, "title": r.title, "level": r.level, "summary": r.summary, "skills": r.skills, "pay": pay },
            "track": track.map(|t| json!({ "name": t.name, "color": t.color, "color_dark": views::mark_color_on_dark(&t.color),
                "description": t.description })),
            "next": r.next.iter().map(|n| link(&n.value)).collect::<Vec<_>>(),
            "prev": prev,
            "now": views::cards(&self.cards, &stats.now),
            "before": views::cards(&self.cards, &stats.before),
            "came_from": views::counts(s, &stats.came_from),
            "went_next": views::counts(s, &stats.went_next),
            "held": stats.held(),
            "jobs_url": (!s.jobs.is_empty()).then(|| s.config.base.page("jobs/")),
            "moved_on": stats.before.len(),
            "stay": stats.median_stay().map(|m| json!({ "years": years_text(&s.words, m), "stays": stats.stays.len() })),
        });
        let openings = self.openings_of(&r.id.value);
        vars["open_count"] = openings.len().into();
        vars["openings_html"] = Value::String(self.openings_html(openings));
        (meta, vars)
    }

    /// A story's description: "Ada Okafor, Reporting Analyst: <excerpt>".
    pub(super) fn story_description(&self, i: Ix) -> String {
        let (story, card) = (&self.site.stories[i], &self.cards[i]);
        self.site.words.tf(
            "page.story_description",
            &[("name", &story.name), ("role", &card.role.name), ("excerpt", &card.excerpt)],
        )
    }

    pub(super) fn family_name(&self, f: &crate::model::Family) -> String {
        self.site.words.tf("page.family_name", &[("name", &self.site.stories[f.members[0]].name)])
    }

    pub(super) fn family_url(&self, f: &crate::model::Family) -> String {
        self.site.config.base.page(&format!("families/{}/", f.slug))
    }

    pub(super) fn family_view(&self, f: &crate::model::Family) -> Value {
        json!({ "slug": f.slug, "name": self.family_name(f), "url": self.family_url(f),
                "members": self.links(&f.members),
                // The index shows six faces a family; a page of its own shows all.
                "cards": views::cards(&self.cards, &f.members[..f.members.len().min(6)]),
                "more": f.members.len().saturating_sub(6) })
    }

    pub(super) fn family(&self, i: usize, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let f = &s.families[i];
        let name = self.family_name(f);
        let members: Vec<Value> = f
            .members
            .iter()
            .enumerate()
            .map(|(k, &m)| {
                let rel = &s.relations[m];
                json!({ "card": &*self.cards[m], "color": self.journey_color(k),
                    "color_dark": views::mark_color_on_dark(&self.journey_color(k)), "journey": self.cards[m].journey,
                    "parents": self.links(&rel.parents), "children": self.links(&rel.children) })
            })
            .collect();
        let hls = f
            .members
            .iter()
            .enumerate()
            .map(|(k, &m)| Highlight {
                label: s.words.tf("page.journey_of", &[("name", &s.stories[m].name)]),
                steps: s.stories[m].path.iter().map(|st| st.place.clone()).collect(),
                color: self.journey_color(k),
            })
            .collect();
        let map_svg =
            self.map_svg(path, &format!("family-{}", f.slug), &s.words.tf("page.family_map", &[("name", &name)]), hls);
        let cards = views::cards(&self.cards, &f.members);
        let ld = seo::cards_list(s, path, &name, cards.iter().copied());
        let meta = PageMeta::new(
            s,
            path,
            &name,
            &s.words.tn(
                "page.family_description",
                f.members.len() as u64,
                &[("names", &cards.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "))],
            ),
            ld,
        );
        (meta, json!({ "family": self.family_view(f), "members": members, "map_svg": map_svg }))
    }
}

/// "USD 52,000–61,000 per year", in the site's language.
pub(super) fn pay_text(w: &crate::i18n::Words, p: &crate::load::ladder::Pay) -> String {
    super::jobs::salary_text(w, p.min as f64, p.max as f64, &p.currency, &pay_period(w, p))
}

/// A ladder pay band's period in words: the ladder's own (a translation's
/// `pay_period`), else the UI words'.
fn pay_period(w: &crate::i18n::Words, p: &crate::load::ladder::Pay) -> String {
    p.label.clone().unwrap_or_else(|| period_words(w, &p.period))
}

/// "USD 52k–61k / year": a pay band where space is short (the ladder grid).
fn pay_short(w: &crate::i18n::Words, p: &crate::load::ladder::Pay) -> String {
    let k = |n: i64| {
        if n >= 1000 && n % 100 == 0 {
            let tenths = n / 100;
            let v = if tenths % 10 == 0 { w.formats.number(tenths / 10) } else { w.formats.decimal(tenths, 1) };
            w.tf("pay.thousands", &[("n", &v)])
        } else {
            w.formats.number(n)
        }
    };
    let period = pay_period(w, p);
    w.tf("pay.short", &[("currency", &p.currency), ("min", &k(p.min)), ("max", &k(p.max)), ("period", &period)])
}

/// A pay period in the site's language: `year` -> "year", "an"; a period
/// the words do not know is shown as written.
pub(super) fn period_words(w: &crate::i18n::Words, period: &str) -> String {
    let key = format!("pay.period.{period}");
    if w.has(&key) {
        w.t(&key).to_string()
    } else {
        period.to_string()
    }
}
