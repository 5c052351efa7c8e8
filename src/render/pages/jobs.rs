//! The openings' pages: `/jobs/` (every opening by track and role) and
//! `/jobs/<slug>/` (one opening with its role from the ladder, the people
//! who held it and where they went next), and what other pages show of
//! them (a role's open positions, a story's call to action, home's count).

use super::{Job, Renderer};
use crate::load::jobs::Description;
use crate::model::jobs::Opening;
use crate::render::markdown;
use crate::render::seo::{self, PageMeta};
use crate::render::views;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// How many people an opening's page shows (see [`Renderer::opening_people`]).
const PEOPLE_ON_OPENING: usize = 6;

impl Renderer<'_> {
    /// The site path of opening `i` (`jobs/team-lead-4012/`).
    pub(super) fn opening_path(&self, i: usize) -> String {
        super::paths::opening_path(self.site, i)
    }

    /// An opening as lists show it.
    pub(super) fn opening_view(&self, i: usize) -> Value {
        let o = &self.site.jobs[i];
        let j = &o.job;
        let w = &self.site.words;
        let where_ = views::job_places(w, j);
        json!({
            "id": j.id, "title": j.title, "url": self.site.config.base.page(&self.opening_path(i)),
            "where": where_, "remote": j.remote, "locations": j.locations,
            "type": j.employment_type.as_deref().map(|t| employment_words(w, t)),
            "posted": j.date_posted.to_string(), "posted_human": views::human_date(w, &j.date_posted),
            "salary": j.salary.as_ref().map(|s| salary_text(w, s.min, s.max, &s.currency, &super::contexts::period_words(w, &s.period))),
            "apply_url": j.apply_url,
            "role": o.role.as_deref().map(|r| views::role_link(self.site, r)),
        })
    }

    /// Each opening as lists show it, from the theme's `opening.html`
    /// (variable `j`: `views`, each [`Renderer::opening_view`]). Rendered
    /// once per opening and pasted into every list, as cards are: /jobs/,
    /// its filters and the role pages list 5,000 openings three times over,
    /// and a JSON context of each would cost more than the pages.
    pub(super) fn opening_items(&self, views: &[Value]) -> Result<Vec<String>, Vec<crate::diagnostics::Diagnostic>> {
        use rayon::prelude::*;
        const TEMPLATE: &str = "opening.html";
        let made: Vec<Result<String, crate::diagnostics::Diagnostic>> = views
            .par_iter()
            .enumerate()
            .map(|(i, view)| {
                let mut ctx = tera::Context::new();
                ctx.insert("j", view);
                let page = || format!("/{}", self.opening_path(i));
                self.tera.render(TEMPLATE, &ctx).map_err(|e| super::template_error(self.theme, TEMPLATE, &e, &page()))
            })
            .collect();
        let (items, errors): (Vec<_>, Vec<_>) = made.into_iter().partition(Result::is_ok);
        if errors.is_empty() {
            Ok(items.into_iter().flatten().collect())
        } else {
            Err(errors.into_iter().filter_map(Result::err).collect())
        }
    }

    /// The items of openings `list`, pasted (`openings_html` of a context).
    pub(super) fn openings_html(&self, list: &[usize]) -> String {
        list.iter().map(|&i| self.opening_items[i].as_str()).collect()
    }

    /// The `n` openings posted last (then by the model's order).
    pub(super) fn newest_openings(&self, n: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..self.site.jobs.len()).collect();
        all.sort_by(|&a, &b| self.site.jobs[b].job.date_posted.cmp(&self.site.jobs[a].job.date_posted).then(a.cmp(&b)));
        all.truncate(n);
        all
    }

    /// The stories an opening's page shows: the first [`PEOPLE_ON_OPENING`]
    /// of those who hold its role now, then of those who held it. The role's
    /// page lists them all: 5,000 openings of a 10,000-story site would
    /// otherwise paste a million cards.
    pub(super) fn opening_people(&self, i: usize) -> Vec<usize> {
        self.role_people(self.site.jobs[i].role.as_deref())
    }

    /// [`Renderer::opening_people`] of role `id`'s openings.
    fn role_people(&self, id: Option<&str>) -> Vec<usize> {
        let stats = id.and_then(|id| self.site.roles.get(id));
        stats.map_or_else(Vec::new, |st| st.now.iter().chain(&st.before).copied().take(PEOPLE_ON_OPENING).collect())
    }

    /// Openings of role `id`, in the model's order.
    pub(super) fn openings_of(&self, id: &str) -> &[usize] {
        self.site.jobs_by_role.get(id).map_or(&[], Vec::as_slice)
    }

    /// A story's call to action when its role, or a role people move on to
    /// from it, is hiring: "Open Team Lead roles (3)", to the role's
    /// openings. `None` falls back to the site's call to action.
    fn hiring_for(&self, role: &str) -> Option<Value> {
        let s = self.site;
        let ladder_next = s.role(role).map(|r| r.next.iter().map(|n| n.value.clone()).collect::<Vec<_>>());
        let went_next = s.roles.get(role).map(|st| {
            let mut v: Vec<(&crate::load::story::Place, &usize)> = st.went_next.iter().collect();
            v.sort_by(|a, b| b.1.cmp(a.1));
            v.into_iter()
                .filter_map(|(p, _)| match p {
                    crate::load::story::Place::Role(id) => Some(id.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        });
        let candidates = std::iter::once(role.to_string())
            .chain(went_next.into_iter().flatten())
            .chain(ladder_next.into_iter().flatten());
        candidates.into_iter().find_map(|id| {
            let n = self.openings_of(&id).len();
            (n > 0).then(|| {
                let link = views::role_link(s, &id);
                let label = s.words.tn("jobs.cta", n as u64, &[("role", &link.name)]);
                json!({ "label": label, "url": format!("{}#openings", link.url),
                        "role": link.name, "count": n })
            })
        })
    }

    /// [`Renderer::hiring_for`] of every role of the ladder, where it is some.
    pub(super) fn hiring_ctas(&self) -> BTreeMap<String, Value> {
        let roles = self.site.ladder.iter().flat_map(|l| &l.roles);
        roles.filter_map(|r| Some((r.id.value.clone(), self.hiring_for(&r.id.value)?))).collect()
    }

    /// `/jobs/`, or one of its filters (`filter`: a kind of [`Job::JobsIn`]
    /// and a group): the openings by track and role, then those off the
    /// ladder, with links to every filter.
    pub(super) fn jobs_index(&self, path: &str, filter: Option<(&'static str, usize)>) -> (PageMeta, Value) {
        let s = self.site;
        let group = filter.map(|(kind, i)| (kind, &self.job_groups(kind)[i]));
        let shown: std::collections::BTreeSet<usize> = match group {
            Some((_, g)) => g.openings.iter().copied().collect(),
            None => (0..s.jobs.len()).collect(),
        };
        let mut groups: Vec<Value> = Vec::new();
        if let Some(l) = &s.ladder {
            for t in &l.tracks {
                let roles: Vec<Value> = l
                    .roles
                    .iter()
                    .filter(|r| r.track.value == t.id.value)
                    .filter_map(|r| {
                        let list: Vec<usize> =
                            self.openings_of(&r.id.value).iter().copied().filter(|i| shown.contains(i)).collect();
                        (!list.is_empty()).then(|| {
                            json!({ "role": views::role_link(s, &r.id.value), "level": r.level,
                                "count": list.len(), "openings_html": self.openings_html(&list) })
                        })
                    })
                    .collect();
                if !roles.is_empty() {
                    let mut group = json!({ "id": t.id.value, "name": t.name, "color": t.color,
                        "color_dark": views::mark_color_on_dark(&t.color) });
                    group["roles"] = Value::Array(roles);
                    groups.push(group);
                }
            }
        }
        let other: Vec<usize> = shown.iter().copied().filter(|&i| s.jobs[i].role.is_none()).collect();
        let w = &s.words;
        let company = s.config.brand.company.as_str();
        let count = shown.len() as u64;
        let (name, desc) = match group {
            None => (
                super::index_title(w, &Job::Jobs).to_string(),
                w.tn("jobs.description", s.jobs.len() as u64, &[("company", company)]),
            ),
            Some(("location", g)) if g.slug == crate::model::jobs::REMOTE => {
                (w.t("jobs.remote_title").to_string(), w.tn("jobs.remote_description", count, &[("company", company)]))
            }
            Some(("location", g)) => (
                w.tf("jobs.place_title", &[("place", &g.name)]),
                w.tn("jobs.place_description", count, &[("company", company), ("place", &g.name)]),
            ),
            Some((_, g)) => (
                w.tf("jobs.track_title", &[("track", &g.name)]),
                w.tn("jobs.track_description", count, &[("company", company), ("track", &g.name)]),
            ),
        };
        let items: Vec<(String, String)> =
            shown.iter().map(|&i| (s.jobs[i].job.title.clone(), s.config.base.page(&self.opening_path(i)))).collect();
        let ld = seo::item_list(s, path, &name, &items);
        let meta = PageMeta::new(s, path, &name, &desc, ld);
        let filters = |kind: &'static str| -> Vec<Value> {
            let list = self.job_groups(kind);
            // One place or one track is no choice: no filter of that kind.
            if list.len() < 2 {
                return Vec::new();
            }
            list.iter()
                .enumerate()
                .map(|(i, g)| {
                    json!({ "name": self.group_name(kind, i), "count": g.openings.len(),
                        "url": s.config.base.link(&self.path(&Job::JobsIn(kind, i))),
                        "current": filter == Some((kind, i)) })
                })
                .collect()
        };
        let mut vars = json!({
            "title": name, "count": shown.len(), "total": s.jobs.len(),
            "filtered": filter.is_some(), "all_url": s.config.base.link(&self.path(&Job::Jobs)),
            "by_track": filters("track"), "by_location": filters("location"),
            "other_count": other.len(),
        });
        // Moved in, not through `json!`, which copies every value it is
        // given: the openings were copied once for each level they sit in.
        vars["tracks"] = Value::Array(groups);
        vars["other_html"] = Value::String(self.openings_html(&other));
        (meta, vars)
    }

    pub(super) fn opening(&self, i: usize, path: &str) -> (PageMeta, Value) {
        let s = self.site;
        let o: &Opening = &s.jobs[i];
        let j = &o.job;
        let description = demote_headings(&match &j.description {
            Description::Html(h) => markdown::sanitize_html(h),
            Description::Markdown(m) => self.body_html(m, false),
        });
        let role = o.role.as_deref().and_then(|id| s.role(id));
        // No text from the ATS: the role's summary, or a plain sentence.
        let description = if description.trim().is_empty() {
            let text = role.map(|r| r.summary.clone()).filter(|t| !t.is_empty());
            let text = text.unwrap_or_else(|| {
                s.words.tf("jobs.fallback_description", &[("title", &j.title), ("company", &s.config.brand.company)])
            });
            format!("<p>{}</p>", crate::text::escape_xml(&text))
        } else {
            description
        };
        let plain = markdown::plain_text_of_html(&description, 160);
        let ld = seo::job_posting(s, j, &description, &self.logo_ld);
        let meta = PageMeta::new(s, path, &j.title, &plain, ld);
        // The role's part is the same on each of its openings' pages: made
        // once per role, and copied (a copy of a few small values and two
        // strings costs a fraction of making them).
        let mut vars = self.opening_parts.of(o.role.as_deref(), path);
        // Moved in (`json!` would copy them).
        vars.insert("job".into(), self.opening_views[i].clone());
        vars.insert("description".into(), Value::String(description));
        (meta, Value::Object(vars))
    }

    /// What the pages of role `id`'s openings share (no role: an opening
    /// off the ladder): the role from the ladder, its track, the people
    /// who held it (`people_html`: their cards pasted, as `/stories/` does),
    /// where they went next, and `role_html`, all of it as the theme's
    /// `job_role.html` shows it. The HTML's links are from the site root.
    fn opening_role_part(&self, id: Option<&str>) -> Result<Map<String, Value>, crate::diagnostics::Diagnostic> {
        const TEMPLATE: &str = "job_role.html";
        let s = self.site;
        let role = id.and_then(|id| s.role(id));
        let stats = id.and_then(|id| s.roles.get(id));
        let people = self.role_people(id);
        let held = stats.map_or(0, |st| st.now.len() + st.before.len());
        let went_next = stats.map(|st| views::counts(s, &st.went_next)).unwrap_or_default();
        let track = role.and_then(|r| s.ladder.as_ref()?.tracks.iter().find(|t| t.id.value == r.track.value));
        let people_html: String = people.iter().map(|&k| self.cards[k].html.as_str()).collect();
        let vars = json!({
            "people_html": people_html,
            "people_shown": people.len(),
            "people_total": held,
            "went_next": went_next,
            "role": role.map(|r| json!({ "title": r.title, "url": s.config.base.page(&format!("roles/{}/", r.id.value)),
                "summary": r.summary, "skills": r.skills, "level": r.level,
                "pay": r.pay.as_ref().map(|p| super::contexts::pay_text(&s.words, p)) })),
            "track": track.map(|t| json!({ "name": t.name, "color": t.color })),
        });
        let mut vars = match vars {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let html = self.render_with_site(TEMPLATE, vars.clone()).map_err(|e| {
            let page =
                id.map_or_else(|| "the openings off the ladder".to_string(), |id| format!("the openings of {id}"));
            super::template_error(self.theme, TEMPLATE, &e, &page)
        })?;
        vars.insert("role_html".into(), Value::String(html));
        Ok(vars)
    }

    /// [`Renderer::opening_role_part`] of every role that is hiring, and of
    /// the openings off the ladder.
    pub(super) fn make_opening_parts(&self) -> Result<OpeningParts, Vec<crate::diagnostics::Diagnostic>> {
        let mut errors = Vec::new();
        let mut part = |id: Option<&str>| {
            self.opening_role_part(id).unwrap_or_else(|e| {
                errors.push(e);
                Map::new()
            })
        };
        let roles: BTreeMap<String, Map<String, Value>> =
            self.site.jobs_by_role.keys().map(|id| (id.clone(), part(Some(id)))).collect();
        let off_ladder = part(None);
        if !errors.is_empty() {
            return Err(errors);
        }
        if self.site.jobs.is_empty() {
            return Ok(OpeningParts::default());
        }
        // Every opening's page is `jobs/<slug>/` under the language's
        // folder (`fr/jobs/<slug>/`), so one prefix serves them all.
        let prefix = crate::render::links::prefix(&self.path(&Job::Opening(0)));
        let base = &self.site.config.base.path;
        let roles = roles.into_iter().map(|(id, m)| (id, relative_part(m, base, &prefix))).collect();
        Ok(OpeningParts { roles, off_ladder: relative_part(off_ladder, base, &prefix), prefix })
    }
}

/// The role parts of the openings' pages (see
/// [`Renderer::opening_role_part`]), their HTML's links relative to an
/// opening's page.
#[derive(Default)]
pub(super) struct OpeningParts {
    roles: BTreeMap<String, Map<String, Value>>,
    off_ladder: Map<String, Value>,
    /// The prefix of an opening page's links (`../../`).
    prefix: String,
}

impl OpeningParts {
    /// The part of role `id`'s openings (or of those off the ladder) for
    /// the page at `path`. Its HTML is pasted after the page's links were
    /// made relative (see `PASTED` in `pages`), so it is relative already.
    fn of(&self, id: Option<&str>, path: &str) -> Map<String, Value> {
        debug_assert_eq!(crate::render::links::prefix(path), self.prefix, "an opening page at another depth: {path}");
        id.and_then(|id| self.roles.get(id)).unwrap_or(&self.off_ladder).clone()
    }
}

/// A role part with its HTML (`role_html`, `people_html`) made relative to `prefix`.
fn relative_part(mut m: Map<String, Value>, base: &str, prefix: &str) -> Map<String, Value> {
    for key in ["role_html", "people_html"] {
        if let Some(Value::String(html)) = m.get_mut(key) {
            *html = crate::render::links::relativize(html, base, prefix);
        }
    }
    m
}

/// The description's own headings sit under the page's "About the job"
/// (an h2): an ATS's h1 and h2 become h3, so no level is skipped or repeated.
fn demote_headings(html: &str) -> String {
    html.replace("<h1", "<h3").replace("</h1>", "</h3>").replace("<h2", "<h3").replace("</h2>", "</h3>")
}

/// schema.org's employment type as words ("FULL_TIME" -> "Full time").
pub(super) fn employment_words(w: &crate::i18n::Words, t: &str) -> String {
    let key = match t {
        "FULL_TIME" => "jobs.type.full_time",
        "PART_TIME" => "jobs.type.part_time",
        "CONTRACTOR" => "jobs.type.contractor",
        "TEMPORARY" => "jobs.type.temporary",
        "INTERN" => "jobs.type.intern",
        "VOLUNTEER" => "jobs.type.volunteer",
        "PER_DIEM" => "jobs.type.per_diem",
        _ => "jobs.type.other",
    };
    w.t(key).to_string()
}

/// "USD 36,000–42,000 per year"; an hourly "USD 18.50–21 per hour"; the
/// order, separators and words as the site's language writes them.
/// A pay range in the page's language; `period` in words ("year", "an").
pub(super) fn salary_text(w: &crate::i18n::Words, min: f64, max: f64, currency: &str, period: &str) -> String {
    let (lo, hi) = (w.formats.amount(min), w.formats.amount(max));
    if min == max {
        w.tf("pay.single", &[("currency", currency), ("amount", &lo), ("period", period)])
    } else {
        w.tf("pay.range", &[("currency", currency), ("min", &lo), ("max", &hi), ("period", period)])
    }
}
