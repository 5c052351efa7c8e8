//! Checks of a multilingual site's files: each file's language code names
//! a language of the site, and a translation keeps its original's structure.
//!
//! A translation (`ada.fr.md` beside `ada.md`) may differ from its original
//! in what it says: title, name (another script), quote, body, location,
//! photo text, the video's transcript, `featured` and `[extra]`. It must
//! keep what the site's structure is made from: role, journey (roles and
//! years, step by step; the words of an outside job may be translated),
//! relations, tags, origin, photo and its focal point, the video, `draft`.
//! Otherwise the map, the families and the role pages of two languages
//! would tell two different stories.

use crate::diagnostics::Diagnostic;
use crate::load::story::{Place, Story};
use crate::load::Loaded;
use std::collections::BTreeMap;

/// Every file whose name carries a code that is not a language of the site.
pub fn check_codes(site: &Loaded, errors: &mut Vec<Diagnostic>) {
    let files = site.stories.iter().map(|s| (&s.file, &s.lang)).chain(site.pages.iter().map(|p| (&p.file, &p.lang)));
    for (file, lang) in files {
        let Some(code) = lang else { continue };
        if site.config.lang_index(Some(code)).is_none() {
            let known: Vec<&str> = site.config.languages.iter().map(|l| l.code.value.as_str()).collect();
            let hint = if known.len() > 1 {
                format!("the site's languages are {}; or add [languages.{code}] to site.toml", known.join(", "))
            } else {
                format!("add [languages.{code}] to site.toml to publish it, or rename the file without .{code}")
            };
            errors.push(
                Diagnostic::new(file.as_str(), None, format!("`{code}` is not a language of this site"))
                    .label(format!("the file name says the text is in `{code}`"))
                    .hint(hint),
            );
        }
    }
}

/// Each translated story against its original (the story of the same slug
/// in the default language), where there is one.
pub fn check_translations(site: &Loaded, errors: &mut Vec<Diagnostic>) {
    let c = &site.config;
    let originals: BTreeMap<&str, &Story> = site
        .stories
        .iter()
        .filter(|s| c.lang_index(s.lang.as_deref()) == Some(0))
        .map(|s| (s.slug.value.as_str(), s))
        .collect();
    for t in &site.stories {
        let Some(k) = c.lang_index(t.lang.as_deref()).filter(|k| *k > 0) else { continue };
        let Some(o) = originals.get(t.slug.value.as_str()) else { continue };
        let lang = &c.languages[k].code.value;
        let mut differs = |span: std::ops::Range<usize>, what: &str, theirs: String, ours: String| {
            errors.push(
                Diagnostic::at(&t.file, span, format!("this `{lang}` translation changes the story's {what}"))
                    .label(format!("{} has {theirs}, this file {ours}", o.file))
                    .hint(format!(
                        "a translation keeps its original's {what}: write {theirs} here, or change both files"
                    )),
            );
        };
        if t.role.value != o.role.value {
            differs(t.role.span.clone(), "role", format!("`{}`", o.role.value), format!("`{}`", t.role.value));
        }
        if t.path.len() != o.path.len() {
            let n = |p: &[crate::load::story::Step]| format!("{} step{}", p.len(), if p.len() == 1 { "" } else { "s" });
            differs(t.opening.clone(), "journey", n(&o.path), n(&t.path));
        } else if let Some((a, b)) = o.path.iter().zip(&t.path).find(|(a, b)| !same_step(a, b)) {
            differs(b.span.clone(), "journey", step_text(a), step_text(b));
        }
        let values = |l: &[crate::load::fields::Sp<String>]| l.iter().map(|p| p.value.clone()).collect::<Vec<_>>();
        for (what, a, b) in [("parents", &o.parents, &t.parents), ("mentors", &o.mentors, &t.mentors)] {
            if values(a) != values(b) {
                let at = b.first().map_or(t.opening.clone(), |p| p.span.clone());
                differs(at, what, list_text(&values(a)), list_text(&values(b)));
            }
        }
        let slugs = |l: &[String]| l.iter().map(|x| crate::text::slugify(x)).collect::<Vec<_>>();
        if slugs(&o.tags) != slugs(&t.tags) {
            differs(t.opening.clone(), "tags", list_text(&o.tags), list_text(&t.tags));
        }
        let origin = |s: &Story| s.origin.as_deref().map(crate::text::slugify);
        if origin(o) != origin(t) {
            let show = |s: &Story| s.origin.as_ref().map_or_else(|| "no origin".to_string(), |x| format!("`{x}`"));
            differs(t.opening.clone(), "origin", show(o), show(t));
        }
        let photo = |s: &Story| s.photo.as_ref().map(|p| p.value.clone());
        if photo(o) != photo(t) || o.photo_focus != t.photo_focus {
            let at = t.photo.as_ref().map_or(t.opening.clone(), |p| p.span.clone());
            let show = |s: &Story| photo(s).map_or_else(|| "no photo".to_string(), |p| format!("`{p}`"));
            differs(at, "photo", show(o), show(t));
        }
        let video = |s: &Story| s.video.as_ref().map(|v| v.url.value.clone());
        if video(o) != video(t) {
            let at = t.video.as_ref().map_or(t.opening.clone(), |v| v.url.span.clone());
            let show = |s: &Story| video(s).map_or_else(|| "no video".to_string(), |u| format!("`{u}`"));
            differs(at, "video", show(o), show(t));
        }
        if o.draft != t.draft {
            differs(t.opening.clone(), "draft setting", format!("draft = {}", o.draft), format!("draft = {}", t.draft));
        }
    }
}

/// Two steps of a journey alike but for an outside job's words.
fn same_step(a: &crate::load::story::Step, b: &crate::load::story::Step) -> bool {
    let kind = match (&a.place, &b.place) {
        (Place::Role(x), Place::Role(y)) => x == y,
        (Place::Outside(_), Place::Outside(_)) => true,
        _ => false,
    };
    kind && a.from == b.from && a.to == b.to
}

fn step_text(s: &crate::load::story::Step) -> String {
    let place = match &s.place {
        Place::Role(id) => format!("role `{id}`"),
        Place::Outside(_) => "a job outside".to_string(),
    };
    let years = match (s.from, s.to) {
        (Some(f), Some(t)) => format!(" {f}–{t}"),
        (Some(f), None) => format!(" from {f}"),
        _ => String::new(),
    };
    format!("{place}{years}")
}

fn list_text(l: &[String]) -> String {
    if l.is_empty() {
        "none".into()
    } else {
        format!("[{}]", l.iter().map(|x| format!("\"{x}\"")).collect::<Vec<_>>().join(", "))
    }
}
