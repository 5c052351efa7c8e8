//! `content/ladder.toml`: tracks and the roles on them, with the moves the
//! company supports. Checks that need the whole ladder (unknown ids,
//! duplicates) live in `validate`.

use super::fields::{first_line, Reader, Sp};
use crate::diagnostics::Diagnostic;
use crate::text::is_hex_color;
use serde::Serialize;

pub const FILE: &str = "content/ladder.toml";

/// Track colours used when the ladder gives none: distinct, and dark enough to
/// carry white text and to stand out on a light map.
pub(crate) const PALETTE: &[&str] =
    &["#1d4ed8", "#7c3aed", "#b45309", "#047857", "#be123c", "#0e7490", "#4d7c0f", "#a21caf"];

#[derive(Debug, Clone)]
pub struct Ladder {
    pub tracks: Vec<Track>,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone)]
pub struct Track {
    pub id: Sp<String>,
    pub name: String,
    pub description: Option<String>,
    pub color: String,
    /// `[track.translations.<lang>]`: its words in other languages.
    pub translations: Translations,
}

/// Per language code, a track's or role's words in that language
/// (`[role.translations.fr]`); what a table leaves out falls back to the
/// default language (see `Ladder::translated`).
pub type Translations = std::collections::BTreeMap<String, Words>;

/// The translatable words of a track (`name`, `description`) or a role
/// (`title`, `summary`, `skills`, `pay_period`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Words {
    /// Where the table is, for warnings.
    pub span: std::ops::Range<usize>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub summary: Option<String>,
    pub skills: Option<Vec<String>>,
    /// The pay period as shown ("par année"), instead of the UI words'.
    pub pay_period: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub id: Sp<String>,
    pub title: String,
    pub track: Sp<String>,
    pub level: u32,
    pub summary: String,
    pub skills: Vec<String>,
    pub next: Vec<Sp<String>>,
    pub pay: Option<Pay>,
    pub translations: Translations,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pay {
    pub min: i64,
    pub max: i64,
    pub currency: String,
    pub period: String,
    /// The period in words when the ladder gives them (a translation's
    /// `pay_period`); else the UI words' for `period`.
    pub label: Option<String>,
}

pub const PERIODS: &[&str] = &["year", "month", "week", "day", "hour"];

/// Parses the ladder; `None` when its TOML cannot be read at all (then ids
/// in stories are not checked against it, to avoid one error per story).
pub fn parse(text: &str, errors: &mut Vec<Diagnostic>) -> Option<Ladder> {
    let mut r = Reader::new(FILE, 0);
    let mut ladder = Ladder { tracks: Vec::new(), roles: Vec::new() };
    let Some(t) = r.parse(text) else {
        errors.append(&mut r.errors);
        return None;
    };
    {
        r.unknown_keys(&t, &["track", "role"], "the ladder (use [[track]] and [[role]])");
        for (i, (tt, span)) in r.tables(&t, "track").into_iter().enumerate() {
            if let Some(track) = parse_track(&mut r, text, tt, &span, i) {
                ladder.tracks.push(track);
            }
        }
        for (rt, span) in r.tables(&t, "role") {
            if let Some(role) = parse_role(&mut r, text, rt, &span) {
                ladder.roles.push(role);
            }
        }
        if ladder.roles.is_empty() && r.errors.is_empty() {
            r.errors.push(
                Diagnostic::at(FILE, 0..0, "the ladder has no roles")
                    .hint("add roles under [[role]] headers, or delete content/ladder.toml to build without a map"),
            );
        }
    }
    errors.append(&mut r.errors);
    Some(ladder)
}

fn parse_track(
    r: &mut Reader,
    text: &str,
    t: &toml::de::DeTable,
    span: &std::ops::Range<usize>,
    i: usize,
) -> Option<Track> {
    r.unknown_keys(t, &["id", "name", "description", "color", "translations"], "a [[track]]");
    let at = first_line(text, span);
    let id = r.req_str(t, "id", &at, "a [[track]]");
    let name = r.req_str(t, "name", &at, "a [[track]]");
    let description = r.str(t, "description").map(|s| s.value);
    let mut color = PALETTE[i % PALETTE.len()].to_string();
    if let Some(c) = r.str(t, "color") {
        if is_hex_color(&c.value) {
            color = c.value;
        } else {
            r.errors.push(
                Diagnostic::at(FILE, c.span, "a track's `color` must be a hex colour")
                    .hint("write it like color = \"#7c3aed\""),
            );
        }
    }
    // A track with errors is kept (placeholders filled in) so roles on it do
    // not get a second, misleading "unknown track" error.
    let translations = read_translations(r, t, &["name", "description"], "a track");
    let id = id?;
    let name = name.map_or_else(|| id.value.clone(), |n| n.value);
    Some(Track { id, name, description, color, translations })
}

fn parse_role(r: &mut Reader, text: &str, t: &toml::de::DeTable, span: &std::ops::Range<usize>) -> Option<Role> {
    let what = "a [[role]]";
    r.unknown_keys(t, &["id", "title", "track", "level", "summary", "skills", "next", "pay", "translations"], what);
    let at = first_line(text, span);
    let id = r.req_str(t, "id", &at, what);
    let title = r.req_str(t, "title", &at, what);
    let track = r.req_str(t, "track", &at, what);
    let level = match (t.get("level"), r.int(t, "level")) {
        (None, _) => {
            r.missing(at.clone(), "level", what, "level = 1 (1 is entry level)");
            None
        }
        (Some(_), Some(l)) if l.value < 1 || l.value > 100 => {
            r.errors.push(
                Diagnostic::at(FILE, l.span, format!("`level` must be between 1 and 100, found {}", l.value))
                    .hint("level 1 is entry level; each step up the ladder adds one"),
            );
            None
        }
        (Some(_), l) => l.map(|l| l.value as u32),
    };
    let summary = r.str(t, "summary").map(|s| s.value).unwrap_or_default();
    let skills = r.str_list(t, "skills").into_iter().map(|s| s.value).collect();
    let next = r.str_list(t, "next");
    let pay = r.table(t, "pay").and_then(|(p, span)| parse_pay(r, p, span));
    let translations = read_translations(r, t, &["title", "summary", "skills", "pay_period"], "a role");
    // Kept with placeholders when other keys have errors, so stories that
    // name this role do not get a second, misleading "unknown role" error.
    let id = id?;
    let title = title.map_or_else(|| id.value.clone(), |t| t.value);
    let track = track.unwrap_or_else(|| Sp::new(String::new(), at));
    Some(Role { id, title, track, level: level.unwrap_or(1), summary, skills, next, pay, translations })
}

fn parse_pay(r: &mut Reader, p: &toml::de::DeTable, span: std::ops::Range<usize>) -> Option<Pay> {
    let what = "`pay`";
    r.unknown_keys(p, &["min", "max", "currency", "period"], what);
    let at = span.clone();
    let min = r.int(p, "min");
    let max = r.int(p, "max");
    for key in ["min", "max"] {
        if p.get(key).is_none() {
            r.missing(at.clone(), key, what, &format!("{key} = 50000"));
        }
    }
    let currency = r.req_str(p, "currency", &at, what);
    if let Some(c) = &currency {
        if c.value.len() != 3 || !c.value.chars().all(|ch| ch.is_ascii_uppercase()) {
            r.errors.push(
                Diagnostic::at(
                    FILE,
                    c.span.clone(),
                    format!("`currency` must be a three-letter ISO code, found `{}`", c.value),
                )
                .hint("write it like currency = \"USD\""),
            );
        }
    }
    let period = r.str(p, "period").unwrap_or_else(|| Sp::new("year".into(), span.clone()));
    if !PERIODS.contains(&period.value.as_str()) {
        let hint = crate::text::did_you_mean(&period.value, PERIODS.iter().copied())
            .unwrap_or_else(|| format!("use one of {}", PERIODS.join(", ")));
        r.errors.push(
            Diagnostic::at(FILE, period.span.clone(), format!("unknown pay period `{}`", period.value)).hint(hint),
        );
    }
    let (min, max) = (min?, max?);
    if min.value > max.value {
        r.errors.push(
            Diagnostic::at(
                FILE,
                min.span.start..max.span.end,
                format!("pay `min` ({}) is above `max` ({})", min.value, max.value),
            )
            .hint("swap the two numbers"),
        );
        return None;
    }
    if min.value < 0 {
        r.errors.push(Diagnostic::at(FILE, min.span, "pay `min` is negative").hint("pay ranges start at 0 or more"));
        return None;
    }
    Some(Pay { min: min.value, max: max.value, currency: currency?.value, period: period.value, label: None })
}

/// `[<item>.translations.<lang>]` tables: the keys in `keys` (a role's
/// `title` is kept as `name`).
fn read_translations(r: &mut Reader, t: &toml::de::DeTable, keys: &[&str], what: &str) -> Translations {
    let mut out = Translations::new();
    let Some((all, _)) = r.table(t, "translations") else { return out };
    for (k, _) in all.iter() {
        let code: &str = k.get_ref();
        let span = r.abs(k.span());
        if !super::languages::is_language_code(code) {
            r.errors.push(
                Diagnostic::at(FILE, span, format!("`translations.{code}` of {what}: `{code}` is not a language code"))
                    .hint("name the table by a language of the site, like [role.translations.fr]"),
            );
            continue;
        }
        let Some((lt, _)) = r.table(all, code) else { continue };
        r.unknown_keys(lt, keys, &format!("translations.{code} of {what}"));
        let text = |r: &mut Reader, key: &str| r.str(lt, key).map(|s| s.value);
        let mut w = Words { span, ..Words::default() };
        w.name = text(r, "name").or_else(|| text(r, "title"));
        w.description = text(r, "description");
        w.summary = text(r, "summary");
        w.pay_period = text(r, "pay_period");
        if lt.get("skills").is_some() {
            w.skills = Some(r.str_list(lt, "skills").into_iter().map(|s| s.value).collect());
        }
        out.insert(code.to_string(), w);
    }
    out
}

impl Ladder {
    /// The ladder in language `lang`: each track's and role's words from
    /// its translation where it has one, with, for each item whose
    /// translation is missing or incomplete, its id and where its table is
    /// (or the item, when it has none) for the content report.
    pub fn translated(&self, lang: &str) -> (Ladder, Vec<(String, std::ops::Range<usize>)>) {
        let mut l = self.clone();
        let mut missing = Vec::new();
        for t in &mut l.tracks {
            let w = t.translations.get(lang).cloned().unwrap_or_default();
            if w.name.is_none() || (t.description.is_some() && w.description.is_none()) {
                missing.push((
                    format!("track `{}`", t.id.value),
                    if w.span.is_empty() { t.id.span.clone() } else { w.span.clone() },
                ));
            }
            t.name = w.name.unwrap_or(std::mem::take(&mut t.name));
            t.description = w.description.or(t.description.take());
        }
        for role in &mut l.roles {
            let w = role.translations.get(lang).cloned().unwrap_or_default();
            let incomplete = w.name.is_none()
                || (!role.summary.is_empty() && w.summary.is_none())
                || (!role.skills.is_empty() && w.skills.is_none());
            if incomplete {
                let at = if w.span.is_empty() { role.id.span.clone() } else { w.span.clone() };
                missing.push((format!("role `{}`", role.id.value), at));
            }
            role.title = w.name.unwrap_or(std::mem::take(&mut role.title));
            role.summary = w.summary.unwrap_or(std::mem::take(&mut role.summary));
            role.skills = w.skills.unwrap_or(std::mem::take(&mut role.skills));
            if let (Some(p), Some(label)) = (&mut role.pay, w.pay_period) {
                p.label = Some(label);
            }
        }
        (l, missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tracks_and_roles() {
        let mut errors = Vec::new();
        let l = parse(
            "[[track]]\nid = \"a\"\nname = \"A\"\n[[role]]\nid = \"x\"\ntitle = \"X\"\ntrack = \"a\"\nlevel = 1\nnext = [\"y\"]\npay = { min = 1, max = 2, currency = \"USD\" }\n",
            &mut errors,
        )
        .unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(l.tracks[0].color, PALETTE[0]);
        assert_eq!(l.roles[0].next[0].value, "y");
        assert_eq!(l.roles[0].pay.as_ref().unwrap().period, "year");
    }

    #[test]
    fn level_below_one_and_bad_pay_are_errors() {
        let mut errors = Vec::new();
        parse(
            "[[role]]\nid = \"x\"\ntitle = \"X\"\ntrack = \"a\"\nlevel = 0\npay = { min = 5, max = 2, currency = \"USD\" }\n",
            &mut errors,
        );
        let msgs: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("between 1 and 100")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("above `max`")), "{msgs:?}");
    }
}
