//! Stage 2, validate: checks that need more than one file — ids that must
//! exist (roles, tracks, stories, photos and video files, themes), duplicates and cycles.
//! Every problem is collected; nothing stops at the first.

use crate::diagnostics::Diagnostic;
use crate::load::fields::Sp;
use crate::load::story::Place;
use crate::load::{config, ladder, Loaded};
use crate::text::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};

mod languages;

pub fn validate(site: &Loaded, builtin_themes: &[&str]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if let Some(l) = &site.ladder {
        check_ladder(l, &mut errors);
    }
    languages::check_codes(site, &mut errors);
    languages::check_translations(site, &mut errors);
    check_stories(site, &mut errors);
    check_pages(site, &mut errors);
    check_jobs(site, &mut errors);
    check_static_refs(site, &mut errors);
    check_theme(site, builtin_themes, &mut errors);
    errors
}

/// Reports every repeated id after the first, pointing back to the first.
fn check_unique<'a>(
    items: impl IntoIterator<Item = (&'a str, &'a Sp<String>)>,
    kind: &str,
    hint: &str,
    errors: &mut Vec<Diagnostic>,
) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (file, id) in items {
        match seen.get(id.value.as_str()) {
            Some(first) => errors.push(
                Diagnostic::at(file, id.span.clone(), format!("duplicate {kind} `{}`", id.value))
                    .label(format!("already used in {first}"))
                    .hint(hint),
            ),
            None => {
                seen.insert(&id.value, file);
            }
        }
    }
}

fn unknown(file: &str, id: &Sp<String>, kind: &str, known: &BTreeSet<&str>, where_: &str) -> Diagnostic {
    let hint = did_you_mean(&id.value, known.iter().copied())
        .unwrap_or_else(|| format!("the known {kind}s are listed in {where_}"));
    Diagnostic::at(file, id.span.clone(), format!("unknown {kind} `{}`", id.value))
        .label(format!("not in {where_}"))
        .hint(hint)
}

fn check_ladder(l: &ladder::Ladder, errors: &mut Vec<Diagnostic>) {
    let f = ladder::FILE;
    let ids = l.tracks.iter().map(|t| (&t.id, "track id")).chain(l.roles.iter().map(|r| (&r.id, "role id")));
    errors.extend(ids.filter_map(|(id, what)| crate::ids::check(f, id, "id", what)));
    check_unique(l.tracks.iter().map(|t| (f, &t.id)), "track id", "give each [[track]] its own id", errors);
    check_unique(l.roles.iter().map(|r| (f, &r.id)), "role id", "give each [[role]] its own id", errors);
    let tracks: BTreeSet<&str> = l.tracks.iter().map(|t| t.id.value.as_str()).collect();
    let roles: BTreeSet<&str> = l.roles.iter().map(|r| r.id.value.as_str()).collect();
    for role in &l.roles {
        if !role.track.value.is_empty() && !tracks.contains(role.track.value.as_str()) {
            errors.push(unknown(f, &role.track, "track", &tracks, "the [[track]] entries"));
        }
        for next in &role.next {
            if !roles.contains(next.value.as_str()) {
                errors.push(unknown(f, next, "role", &roles, "the [[role]] entries"));
            } else if next.value == role.id.value {
                errors.push(
                    Diagnostic::at(f, next.span.clone(), format!("role `{}` lists itself in `next`", next.value))
                        .hint("`next` lists the roles people move on to; remove this one"),
                );
            }
        }
    }
}

fn check_stories(site: &Loaded, errors: &mut Vec<Diagnostic>) {
    let hint = "the slug comes from the file name: rename one file, or set slug = \"...\" in its front matter";
    // A slug is the story's in every language: unique within each.
    for k in 0..site.config.languages.len() {
        let of_lang = site.stories.iter().filter(|s| site.config.lang_index(s.lang.as_deref()) == Some(k));
        check_unique(of_lang.map(|s| (s.file.as_str(), &s.slug)), "story slug", hint, errors);
    }
    if let Some(l) = &site.ladder {
        let roles: BTreeSet<&str> = l.roles.iter().map(|r| r.id.value.as_str()).collect();
        for s in &site.stories {
            if !s.role.value.is_empty() && !roles.contains(s.role.value.as_str()) {
                errors.push(unknown(&s.file, &s.role, "role", &roles, ladder::FILE));
            }
            // The last step repeats `role`; it was reported just above.
            for step in &s.path[..s.path.len().saturating_sub(1)] {
                if let Place::Role(id) = &step.place {
                    if !roles.contains(id.as_str()) {
                        errors.push(unknown(
                            &s.file,
                            &Sp::new(id.clone(), step.span.clone()),
                            "role",
                            &roles,
                            ladder::FILE,
                        ));
                    }
                }
            }
        }
    }
    check_relations(site, errors);
}

/// Openings: ids and slugs unique over every jobs file; the roles and
/// tracks they and `[jobs]` name exist in the ladder.
fn check_jobs(site: &Loaded, errors: &mut Vec<Diagnostic>) {
    let ids: Vec<(&str, Sp<String>)> =
        site.jobs.iter().map(|j| (j.file.as_str(), Sp::new(j.id.clone(), j.span.clone()))).collect();
    check_unique(
        ids.iter().map(|(f, id)| (*f, id)),
        "opening id",
        "each opening keeps the id its ATS gives it",
        errors,
    );
    let hint = "two titles with the same id make the same URL: set slug = \"...\" on one";
    check_unique(site.jobs.iter().map(|j| (j.file.as_str(), &j.slug)), "opening slug", hint, errors);
    // `/jobs/location/` and `/jobs/track/` hold the filters of `/jobs/`.
    for j in site.jobs.iter().filter(|j| ["location", "track"].contains(&j.slug.value.as_str())) {
        errors.push(
            Diagnostic::at(
                &j.file,
                j.slug.span.clone(),
                format!("the slug `{}` is taken by /jobs/'s filters", j.slug.value),
            )
            .hint(format!("use another slug, such as `{}-{}`", j.slug.value, crate::text::slugify(&j.id))),
        );
    }
    let Some(l) = &site.ladder else {
        if let Some(j) = site.jobs.iter().find(|j| j.role.is_some()) {
            errors.push(
                Diagnostic::at(
                    &j.file,
                    j.span.clone(),
                    format!("“{}” names a role, but the site has no ladder", j.title),
                )
                .hint(format!("add {} with the role, or leave `role` out", ladder::FILE)),
            );
        }
        return;
    };
    let roles: BTreeSet<&str> = l.roles.iter().map(|r| r.id.value.as_str()).collect();
    let tracks: BTreeSet<&str> = l.tracks.iter().map(|t| t.id.value.as_str()).collect();
    for j in &site.jobs {
        if let Some(r) = j.role.as_ref().filter(|r| !roles.contains(r.value.as_str())) {
            errors.push(unknown(&j.file, r, "role", &roles, ladder::FILE));
        }
    }
    let jobs = &site.config.jobs;
    for (_, role) in jobs.roles.iter().filter(|(_, r)| !roles.contains(r.value.as_str())) {
        errors.push(unknown(config::FILE, role, "role", &roles, ladder::FILE));
    }
    for (_, track) in jobs.departments.iter().filter(|(_, t)| !tracks.contains(t.value.as_str())) {
        errors.push(unknown(config::FILE, track, "track", &tracks, ladder::FILE));
    }
}

fn check_relations(site: &Loaded, errors: &mut Vec<Diagnostic>) {
    let slugs: BTreeSet<&str> = site.stories.iter().map(|s| s.slug.value.as_str()).collect();
    for s in &site.stories {
        for (kind, list) in [("parent", &s.parents), ("mentor", &s.mentors)] {
            for rel in list {
                if rel.value == s.slug.value {
                    errors.push(
                        Diagnostic::at(&s.file, rel.span.clone(), format!("a story cannot be its own {kind}"))
                            .hint(format!("list the slug of another story as {kind}")),
                    );
                } else if !slugs.contains(rel.value.as_str()) {
                    errors.push(unknown(&s.file, rel, "story", &slugs, "content/stories/"));
                }
            }
        }
    }
    // A parent cycle: follow parents depth-first; a story met again on the
    // current path closes a cycle, reported once at the story that closes it.
    let parents: BTreeMap<&str, &crate::load::story::Story> =
        site.stories.iter().map(|s| (s.slug.value.as_str(), s)).collect();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for s in &site.stories {
        let mut on_path = Vec::new();
        visit(s.slug.value.as_str(), &parents, &mut on_path, &mut done, errors);
    }
}

/// Depth-first from `slug` along parent links, with an explicit stack: a
/// chain of tens of thousands of generations must not overflow the call
/// stack (it did, exit 134). `on_path` is the chain from `slug` to the story
/// being looked at; `done` holds stories whose ancestors are all checked.
fn visit<'a>(
    slug: &'a str,
    stories: &BTreeMap<&'a str, &'a crate::load::story::Story>,
    on_path: &mut Vec<&'a str>,
    done: &mut BTreeSet<&'a str>,
    errors: &mut Vec<Diagnostic>,
) {
    // Per story on the path, the index of the next parent link to follow.
    let mut next: Vec<usize> = Vec::new();
    // `on_path` members, for a constant-time "is it on the path?".
    let mut open: BTreeSet<&'a str> = BTreeSet::new();
    let enter = |slug: &'a str, on_path: &mut Vec<&'a str>, next: &mut Vec<usize>, open: &mut BTreeSet<&'a str>| {
        on_path.push(slug);
        next.push(0);
        open.insert(slug);
    };
    if done.contains(slug) || !stories.contains_key(slug) {
        return;
    }
    enter(slug, on_path, &mut next, &mut open);
    while let (Some(&current), Some(k)) = (on_path.last(), next.last_mut()) {
        let story = stories[current];
        let Some(p) = story.parents.get(*k) else {
            on_path.pop();
            next.pop();
            open.remove(current);
            done.insert(current);
            continue;
        };
        *k += 1;
        // A story naming itself is reported by `check_relations`, not as a cycle.
        let p_slug = p.value.as_str();
        if p_slug == current || done.contains(p_slug) {
            continue;
        }
        if open.contains(p_slug) {
            let i = on_path.iter().position(|x| *x == p_slug).unwrap_or(0);
            let mut cycle: Vec<&str> = on_path[i..].iter().copied().chain([p_slug]).collect();
            // A loop of thousands is named by its ends, not printed whole.
            let more = format!("({} more)", cycle.len().saturating_sub(6));
            if cycle.len() > 8 {
                cycle.splice(3..cycle.len() - 3, [more.as_str()]);
            }
            errors.push(
                Diagnostic::at(&story.file, p.span.clone(), "parents form a cycle")
                    .label(cycle.join(" -> "))
                    .hint("a person cannot be their own ancestor: remove one of these parent links"),
            );
        } else if let Some((key, _)) = stories.get_key_value(p_slug) {
            enter(key, on_path, &mut next, &mut open);
        }
    }
}

fn check_pages(site: &Loaded, errors: &mut Vec<Diagnostic>) {
    let hint = "the slug comes from the file name: rename one file, or set slug = \"...\" in its front matter";
    for k in 0..site.config.languages.len() {
        let of_lang = site.pages.iter().filter(|p| site.config.lang_index(p.lang.as_deref()) == Some(k));
        check_unique(of_lang.map(|p| (p.file.as_str(), &p.slug)), "page slug", hint, errors);
    }
    let folders: Vec<&str> = site.config.languages.iter().map(|l| l.prefix.trim_end_matches('/')).collect();
    for p in &site.pages {
        let folder =
            folders.contains(&p.slug.value.as_str()).then(|| "is the folder of a language of the site".to_string());
        if let Some(why) = folder.or_else(|| crate::ids::reserved_reason(&p.slug.value)) {
            errors.push(
                Diagnostic::new(&p.file, Some(p.slug.span.clone()), format!("the page slug {why}"))
                    .label(format!("the page would take /{}/", p.slug.value))
                    .hint(format!("set another slug in the front matter: slug = \"{}-info\"", p.slug.value)),
            );
        }
    }
}

fn check_static_refs(site: &Loaded, errors: &mut Vec<Diagnostic>) {
    let files: BTreeSet<&str> = site.static_files.iter().map(String::as_str).collect();
    let mut check = |file: &str, path: &Sp<String>, what: &str| {
        let clean = path.value.trim_start_matches('/');
        if !files.contains(clean) {
            let hint = did_you_mean(clean, files.iter().copied()).unwrap_or_else(|| {
                let folder = if matches!(what, "video file" | "captions file") { "video" } else { "img" };
                format!("put the file under static/ and give its path from there, e.g. {folder}/{}", file_name(clean))
            });
            errors.push(
                Diagnostic::at(file, path.span.clone(), format!("{what} `{}` not found", path.value))
                    .label(format!("no static/{clean}"))
                    .hint(hint),
            );
        }
    };
    let brand = &site.config.brand;
    for (path, what) in [(&brand.logo, "logo"), (&brand.favicon, "favicon"), (&brand.font, "font")] {
        if let Some(path) = path {
            check(config::FILE, path, what);
        }
    }
    for s in &site.stories {
        if let Some(p) = &s.photo {
            check(&s.file, p, "photo");
        }
        for (what, p) in s.video.iter().flat_map(|v| v.local_files()) {
            check(&s.file, &p, what);
        }
    }
    let bodies = site.stories.iter().map(|s| (s.file.as_str(), s.body.as_str(), s.body_offset));
    let bodies = bodies.chain(site.pages.iter().map(|p| (p.file.as_str(), p.body.as_str(), p.body_offset)));
    errors.extend(check_body_images(bodies, &files, &site.config.base.path));
}

/// Every local image of every body (`![alt](img/x.jpg)`, `<img src>`) must
/// be a file under static/; `../` must not climb out of it. Bodies are
/// given as (file, body, where the body starts in the file).
pub fn check_body_images<'a>(
    bodies: impl Iterator<Item = (&'a str, &'a str, usize)>,
    files: &BTreeSet<&str>,
    base_path: &str,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let bodies: Vec<(&str, &str, usize)> = bodies.collect();
    bodies
        .par_iter()
        .flat_map_iter(|&(file, body, offset)| {
            let refs = crate::render::markdown::image_refs(body);
            let at = move |span: &std::ops::Range<usize>| span.start + offset..span.end + offset;
            let missing = refs.local.into_iter().filter(|img| !files.contains(img.path.as_str())).map(move |img| {
                let written = body.get(img.span.clone()).unwrap_or(&img.path);
                Diagnostic::at(file, at(&img.span), format!("image `{written}` not found"))
                    .label(format!("no static/{}", img.path))
                    .hint(missing_image_hint(&img.path, files, base_path))
            });
            let outside = refs.outside.into_iter().map(move |(url, span)| {
                Diagnostic::at(file, at(&span), format!("image `{url}` is outside static/"))
                    .label("`..` climbs out of static/")
                    .hint("images in bodies are files under static/: give the path from there, e.g. img/photo.jpg")
            });
            missing.chain(outside).collect::<Vec<_>>()
        })
        .collect()
}

fn missing_image_hint(path: &str, files: &BTreeSet<&str>, base_path: &str) -> String {
    // `/careers/img/x.jpg` on a site under /careers/: the base path is added.
    let base = base_path.trim_matches('/');
    if let Some(rest) = path.strip_prefix(base).and_then(|r| r.strip_prefix('/')).filter(|_| !base.is_empty()) {
        if files.contains(rest) {
            return format!("write `/{rest}` or `{rest}`: body images are found under static/, and linked under the base path for you");
        }
    }
    // Files in one folder share a prefix that makes any two paths look
    // alike: the file names (without extensions) must be close too.
    let stem = |p: &str| {
        let name = file_name(p);
        name.rsplit_once('.').map_or(name, |(s, _)| s).to_lowercase()
    };
    let wrong = stem(path);
    let near = files.iter().copied().filter(|f| strsim::jaro_winkler(&wrong, &stem(f)) >= 0.85);
    did_you_mean(path, near).unwrap_or_else(|| {
        format!("put the file at static/{path}: images in bodies are found under static/, written `img/x.jpg` or `/img/x.jpg`")
    })
}

fn file_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

fn check_theme(site: &Loaded, builtin: &[&str], errors: &mut Vec<Diagnostic>) {
    let name = &site.config.theme;
    let local = site.root.join("themes").join(&name.value);
    if builtin.contains(&name.value.as_str()) || (local.is_dir() && !name.value.contains(['/', '\\', '.'])) {
        return;
    }
    let mut known: Vec<String> = builtin.iter().map(|s| s.to_string()).collect();
    if let Ok(dir) = std::fs::read_dir(site.root.join("themes")) {
        known.extend(dir.flatten().filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()));
    }
    known.sort();
    let hint = did_you_mean(&name.value, known.iter().map(String::as_str))
        .unwrap_or_else(|| format!("available themes: {}", known.join(", ")));
    errors.push(Diagnostic::at(config::FILE, name.span.clone(), format!("unknown theme `{}`", name.value)).hint(hint));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::from_texts;

    const LADDER: &str =
        "[[track]]\nid = \"s\"\nname = \"S\"\n[[role]]\nid = \"agent\"\ntitle = \"Agent\"\ntrack = \"s\"\nlevel = 1\n";

    fn story(role: &str, parents: &str) -> String {
        format!("+++\ntitle = \"T\"\nname = \"N\"\ndate = 2020-01-01\nrole = \"{role}\"\n[relations]\nparents = [{parents}]\n+++\n")
    }

    fn messages(errors: &[Diagnostic]) -> Vec<String> {
        errors.iter().map(|e| e.message.clone()).collect()
    }

    #[test]
    fn a_three_story_parent_cycle_is_reported_once() {
        let (a, b, c) = (story("agent", "\"b\""), story("agent", "\"c\""), story("agent", "\"a\""));
        let site = from_texts(Some(LADDER), &[("a", &a), ("b", &b), ("c", &c)]);
        let errors = validate(&site, &["horizon"]);
        assert_eq!(messages(&errors), vec!["parents form a cycle"]);
        assert_eq!(errors[0].label.as_deref(), Some("a -> b -> c -> a"));
    }

    #[test]
    fn unknown_ids_get_suggestions() {
        let a = story("agnet", "\"bb\"");
        let b = story("agent", "");
        let site = from_texts(Some(LADDER), &[("a", &a), ("b", &b)]);
        let errors = validate(&site, &["horizon"]);
        let hints: Vec<_> = errors.iter().filter_map(|e| e.hint.clone()).collect();
        assert!(hints.contains(&"did you mean `agent`?".to_string()), "{errors:?}");
        assert!(hints.contains(&"did you mean `b`?".to_string()), "{errors:?}");
    }

    #[test]
    fn body_images_are_checked_at_their_place_in_the_file() {
        let files: BTreeSet<&str> = ["img/ana.jpg", "img/team.png"].into_iter().collect();
        let text = "+++\ntitle = \"T\"\n+++\nA ![a](img/ana.jpg) ![b](/careers/img/team.png) <img src=\"img/tema.png\"> ![c](../x.jpg)\n";
        let offset = text.find("A !").unwrap();
        let body = &text[offset..];
        let errors = check_body_images([("p.md", body, offset)].into_iter(), &files, "/careers/");
        let got: Vec<(&str, &str, Option<&str>)> =
            errors.iter().map(|e| (e.message.as_str(), &text[e.span.clone().unwrap()], e.hint.as_deref())).collect();
        assert_eq!(
            got,
            [
                (
                    "image `/careers/img/team.png` not found",
                    "/careers/img/team.png",
                    Some("write `/img/team.png` or `img/team.png`: body images are found under static/, and linked under the base path for you")
                ),
                ("image `img/tema.png` not found", "img/tema.png", Some("did you mean `img/team.png`?")),
                (
                    "image `../x.jpg` is outside static/",
                    "../x.jpg",
                    Some("images in bodies are files under static/: give the path from there, e.g. img/photo.jpg")
                ),
            ]
        );
    }

    #[test]
    fn without_a_ladder_roles_are_not_checked() {
        let a = story("anything", "");
        assert!(validate(&from_texts(None, &[("a", &a)]), &["horizon"]).is_empty());
    }
}
