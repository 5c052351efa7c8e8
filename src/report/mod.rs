//! The content report of `storypath check`: warnings a careers team acts
//! on, read off the model of a site that has no errors. Each points at the
//! place to change: the role or the move in the ladder, the story's front
//! matter or the journey step.

use crate::diagnostics::Diagnostic;
use crate::load::ladder::FILE as LADDER;
use crate::load::story::Place;
use crate::model::{moves, Site};
use std::collections::BTreeSet;

pub mod ci;
pub mod codes;
mod languages;
pub use languages::warnings as language_warnings;

/// Every warning for `site`, given today's date (year, month, day).
pub fn warnings(site: &Site, today: (i32, u32, u32)) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    stories(site, today, &mut out);
    embeds(site, &mut out);
    crawl_files(site, &mut out);
    jobs(site, today, &mut out);
    // UI words the site's language lacks, shown in English.
    out.extend(site.words.warnings());
    if site.ladder.is_some() {
        ladder(site, &mut out);
    }
    out
}

fn stories(site: &Site, today: (i32, u32, u32), out: &mut Vec<Diagnostic>) {
    let stale_after = site.config.check.stale_after;
    let stale_before = stale_after.before(today);
    for s in &site.stories {
        let at = |span: &crate::load::fields::Span, message: String, code| {
            Diagnostic::at(&s.file, span.clone(), message).warning(code)
        };
        if s.photo.is_none() {
            out.push(
                at(&s.opening, format!("the story of {} has no photo", s.name), "missing-photo")
                    .label("no `photo` in this front matter")
                    .hint(format!(
                        "add photo = \"img/{}.jpg\" (a file under static/) and photo_alt: stories with a face are read more",
                        s.slug.value
                    )),
            );
        }
        if s.quote.is_none() {
            out.push(
                at(&s.opening, format!("the story of {} has no quote", s.name), "missing-quote")
                    .label("no `quote` in this front matter")
                    .hint("add quote = \"...\": a sentence in their words, shown on cards and at the top of the story"),
            );
        }
        let date = (i32::from(s.date.year), u32::from(s.date.month), u32::from(s.date.day));
        if date < stale_before {
            out.push(
                at(&s.date_span, format!("the story of {} is more than {stale_after} old", s.name), "stale-story")
                    .label(format!("dated {}", s.date))
                    .hint("ask for an update and change `date`, or take it down with draft = true"),
            );
        }
        let Some(l) = &site.ladder else { continue };
        for pair in s.path.windows(2) {
            let (Place::Role(a), Place::Role(b)) = (&pair[0].place, &pair[1].place) else { continue };
            let Some(from) = l.roles.iter().find(|r| &r.id.value == a) else { continue };
            if a != b && !from.next.iter().any(|n| &n.value == b) {
                out.push(
                    at(&pair[1].span, format!("the ladder does not list the move `{a}` -> `{b}`"), "unlisted-move")
                        .label(format!("{} made this move", s.name))
                        .hint(format!("if the company supports it, add \"{b}\" to `next` of role `{a}` in {LADDER}")),
                );
            }
        }
    }
}

/// Frames, videos, audio and embedded objects in bodies: the sanitiser
/// removes them, so the page would silently lack them.
fn embeds(site: &Site, out: &mut Vec<Diagnostic>) {
    let story_hint = "put a video in the story's `video` key: \
        video = { url = \"https://www.youtube.com/watch?v=…\", transcript = \"…\" }, or link to it";
    let page_hint = "put the video in a story's `video` key, or link to it";
    let bodies = site.stories.iter().map(|s| (&s.file, &s.body, s.body_offset, story_hint));
    let bodies = bodies.chain(site.pages.iter().map(|p| (&p.file, &p.body, p.body_offset, page_hint)));
    for (file, body, offset, hint) in bodies {
        for (tag, span) in crate::render::markdown::removed_embeds(body) {
            out.push(
                Diagnostic::at(
                    file,
                    span.start + offset..span.end + offset,
                    format!("the `<{tag}>` in this body is removed from the page"),
                )
                .warning("removed-embed")
                .label("bodies may not embed frames, videos, audio or objects")
                .hint(hint),
            );
        }
    }
}

/// Crawlers and security researchers look for `robots.txt` and
/// `.well-known/security.txt` at the host's root only (RFC 9309, RFC 9116):
/// under a subpath the files storypath writes are never read. Said when the
/// site publishes a `security.txt` there, which it means to be found; the
/// robots.txt every build writes is explained in the README instead, or
/// every site under a subpath (the starter site too) would carry a warning
/// it cannot act on inside storypath.
/// Openings that no role maps (the most similar role as the hint), and
/// openings that end within a week (they then vanish from the site).
fn jobs(site: &Site, today: (i32, u32, u32), out: &mut Vec<Diagnostic>) {
    let (y, m, d) = today;
    let today_days = crate::clock::days_from_civil(y, m, d);
    for o in &site.jobs {
        let j = &o.job;
        if let (None, Some(l)) = (&o.role, &site.ladder) {
            let hint = match crate::model::jobs::closest_role(&j.title, l) {
                Some(r) => format!(
                    "map it in site.toml, like [jobs.roles] \"{}\" = \"{}\", or set its role; the closest role is {}",
                    j.title, r.id.value, r.title
                ),
                None => "map it in site.toml under [jobs.roles], or set its role".into(),
            };
            out.push(
                Diagnostic::at(&j.file, j.span.clone(), format!("“{}” is on no role of the ladder", j.title))
                    .warning("unmapped-job")
                    .label("listed under More openings, on no role page or map")
                    .hint(hint),
            );
        }
        let mut missing = Vec::new();
        if matches!(&j.description, crate::load::jobs::Description::Html(h) if h.trim().is_empty()) {
            missing.push("description");
        }
        if j.locations.is_empty() && !j.remote {
            missing.push("location");
        }
        if !missing.is_empty() {
            out.push(
                Diagnostic::at(
                    &j.file,
                    j.span.clone(),
                    format!("“{}” has no {}", j.title, missing.join(" and no ")),
                )
                .warning("incomplete-job")
                .label("Google for Jobs requires a description and a place (or remote)")
                .hint(
                    "add them in the ATS and pull again, or in the jobs file (locations or remote = true; description)",
                ),
            );
        }
        if let Some(v) = j.valid_through {
            let left = crate::clock::days_from_civil(v.year as i32, v.month as u32, v.day as u32) - today_days;
            if (0..7).contains(&left) {
                out.push(
                    Diagnostic::at(&j.file, j.span.clone(), format!("“{}” ends on {v}", j.title))
                        .warning("expiring-job")
                        .label(format!("in {left} day{}", if left == 1 { "" } else { "s" }))
                        .hint("after that day a build leaves it out; move valid_through if the opening stays open"),
                );
            }
        }
    }
}

fn crawl_files(site: &Site, out: &mut Vec<Diagnostic>) {
    const WELL_KNOWN: &str = ".well-known/security.txt";
    let base = &site.config.base;
    if base.path == "/" || !site.static_files.iter().any(|f| f == WELL_KNOWN) {
        return;
    }
    let root = base.url.strip_suffix(base.path.as_str()).unwrap_or(&base.url);
    out.push(
        Diagnostic::new(
            format!("static/{WELL_KNOWN}"),
            None,
            format!("{WELL_KNOWN} and robots.txt are published under {}", base.path),
        )
        .warning("crawl-files-under-subpath")
        .label("crawlers and security researchers look for them at the root of the host only")
        .hint(format!(
            "publish copies at {root}/{WELL_KNOWN} and {root}/robots.txt (the host's root site), \
             or build with a base_url at the root of a host"
        )),
    );
}

fn ladder(site: &Site, out: &mut Vec<Diagnostic>) {
    let Some(l) = &site.ladder else { return };
    let taken: BTreeSet<(&str, &str)> = site
        .stories
        .iter()
        .flat_map(|s| moves(&s.path))
        .filter_map(|m| match m {
            (Place::Role(a), Place::Role(b)) => Some((a.as_str(), b.as_str())),
            _ => None,
        })
        .collect();
    let shown = |id: &str| site.roles.get(id).is_some_and(|st| !st.now.is_empty() || !st.before.is_empty());
    for r in &l.roles {
        if !shown(&r.id.value) {
            out.push(
                Diagnostic::at(LADDER, r.id.span.clone(), format!("no story shows the role `{}`", r.id.value))
                    .warning("role-without-story")
                    .label(format!("nobody in the stories is or was a {}", r.title))
                    .hint("write the story of someone in this role: storypath new story \"Full Name\""),
            );
        }
        for n in &r.next {
            if !taken.contains(&(r.id.value.as_str(), n.value.as_str())) {
                out.push(
                    Diagnostic::at(
                        LADDER,
                        n.span.clone(),
                        format!("nobody in the stories made the move `{}` -> `{}`", r.id.value, n.value),
                    )
                    .warning("move-without-story")
                    .label("a move no journey takes")
                    .hint("a story of someone who made this move would show candidates it is real"),
                );
            }
        }
    }
    for t in &l.tracks {
        let roles: Vec<&str> =
            l.roles.iter().filter(|r| r.track.value == t.id.value).map(|r| r.id.value.as_str()).collect();
        if !roles.iter().any(|id| shown(id)) {
            out.push(
                Diagnostic::at(
                    LADDER,
                    t.id.span.clone(),
                    format!("no journey passes through the track `{}`", t.id.value),
                )
                .warning("track-without-story")
                .label(format!("no story has a role in {}", t.name))
                .hint(if roles.is_empty() {
                    "the track has no roles: add some, or remove it".to_string()
                } else {
                    format!("write a story whose path includes one of: {}", roles.join(", "))
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::from_texts;

    const LADDER_TEXT: &str = r#"
[[track]]
id = "support"
name = "Support"
[[track]]
id = "wfm"
name = "Workforce"
[[role]]
id = "agent"
title = "Agent"
track = "support"
level = 1
next = ["lead"]
[[role]]
id = "lead"
title = "Team Lead"
track = "support"
level = 2
[[role]]
id = "planner"
title = "Planner"
track = "wfm"
level = 2
"#;

    fn messages(stories: &[(&str, &str)], today: (i32, u32, u32)) -> Vec<String> {
        let site = Site::build(from_texts(Some(LADDER_TEXT), stories), false);
        let mut m: Vec<String> = warnings(&site, today).into_iter().map(|d| d.message).collect();
        m.sort();
        m
    }

    #[test]
    fn reports_what_a_careers_team_acts_on() {
        let ana = "+++\ntitle = \"t\"\nname = \"Ana\"\ndate = 2020-01-01\nrole = \"agent\"\nphoto = \"a.jpg\"\nphoto_alt = \"Ana\"\n+++\n";
        let bo = "+++\ntitle = \"t\"\nname = \"Bo\"\ndate = 2026-01-01\nrole = \"agent\"\nquote = \"q\"\npath = [\"lead\", \"agent\"]\n+++\n";
        let m = messages(&[("ana", ana), ("bo", bo)], (2026, 11, 24));
        assert_eq!(
            m,
            [
                "no journey passes through the track `wfm`",
                "no story shows the role `planner`",
                "nobody in the stories made the move `agent` -> `lead`",
                "the ladder does not list the move `lead` -> `agent`",
                "the story of Ana has no quote",
                "the story of Ana is more than 2 years old",
                "the story of Bo has no photo",
            ]
        );
        // Two years to the day is not yet stale.
        assert!(!messages(&[("ana", ana)], (2022, 1, 1)).iter().any(|m| m.contains("years old")));
    }
}
