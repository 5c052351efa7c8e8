//! One career story: `content/stories/**/*.md`. Front matter is checked here
//! for everything a single file can tell; ids that point elsewhere (roles,
//! other stories, photos) are checked in `validate`.

use super::fields::{Date, Reader, Sp, Span};
use super::frontmatter;
use crate::diagnostics::Diagnostic;
use crate::text::slugify;
use toml::de::DeValue;

#[derive(Debug, Clone)]
pub struct Story {
    /// Path relative to the site root.
    pub file: String,
    /// The language code of the file's name (`ada.fr.md`); `None` for the
    /// site's default language.
    pub lang: Option<String>,
    pub slug: Sp<String>,
    pub title: String,
    pub name: String,
    pub date: Date,
    /// Where `date` is written (for the content report).
    pub date_span: Span,
    /// The opening `+++` line: where remarks about the whole story point.
    pub opening: Span,
    pub role: Sp<String>,
    pub origin: Option<String>,
    pub location: Option<String>,
    pub photo: Option<Sp<String>>,
    pub photo_alt: Option<String>,
    /// `photo_focus = "50% 30%"`: the focal point of crops, as fractions.
    pub photo_focus: Option<(f64, f64)>,
    pub quote: Option<String>,
    pub tags: Vec<String>,
    /// A video testimonial (see `load::video`).
    pub video: Option<super::video::Video>,
    pub featured: bool,
    pub draft: bool,
    /// The journey, oldest first; never empty, and its last step is `role`.
    pub path: Vec<Step>,
    pub parents: Vec<Sp<String>>,
    pub mentors: Vec<Sp<String>>,
    pub extra: serde_json::Value,
    pub body: String,
    /// Where `body` starts in the file (bytes): body positions + this = file positions.
    pub body_offset: usize,
    /// Of the file's path and text: `serve` re-renders the story's own page
    /// only when this changed.
    pub fingerprint: u64,
    /// Of the file's path and everything before the body. Everything other
    /// stories and lists show of a story comes from its front matter (and
    /// its excerpt): pages fingerprint the stories they list by this.
    pub front_fingerprint: u64,
    /// Of [`Story::structure`], made once when the file is read: `serve`
    /// keys the pages that only count, name or map stories by it.
    pub structure_fingerprint: u64,
}

impl Story {
    /// What validation checks across files and what the model derives
    /// from: file, slug, date, role, journey, relations, tags, origin,
    /// draft, name (families order by it), photo and its focal point, and
    /// the video's files (they must exist under static/; the image plan
    /// follows them). The rest (title, quote, location, photo text,
    /// featured, `[extra]`, the video's transcript, body) only changes what
    /// pages show.
    #[allow(clippy::type_complexity)]
    pub fn structure(&self) -> impl std::hash::Hash + PartialEq + '_ {
        let journey: Vec<(&Place, Option<i64>, Option<i64>)> =
            self.path.iter().map(|st| (&st.place, st.from, st.to)).collect();
        let video_files: Vec<String> = self.video.iter().flat_map(|v| v.local_files()).map(|(_, p)| p.value).collect();
        fn values(l: &[Sp<String>]) -> Vec<&str> {
            l.iter().map(|p| p.value.as_str()).collect()
        }
        (
            (&self.file, &self.slug.value, self.date, &self.role.value, journey),
            (values(&self.parents), values(&self.mentors), &self.tags, &self.origin, self.draft),
            (
                &self.name,
                self.photo.as_ref().map(|p| &p.value),
                self.photo_focus.map(|(x, y)| (x.to_bits(), y.to_bits())),
                video_files,
            ),
        )
    }

    /// Whether `other` (the same file read again) has the same
    /// [`Story::structure`]. When it has, `serve` patches the kept model
    /// with it instead of building a new one.
    pub fn same_structure(&self, other: &Story) -> bool {
        self.structure() == other.structure()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub place: Place,
    pub span: Span,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// The year step `i` of `path` ended: its own `to`, else the `from` of the
/// step after it (a step without `to` lasts until the next one starts).
/// `None` for a step still going on, or when the years are not known.
pub fn step_end(path: &[Step], i: usize) -> Option<i64> {
    path[i].to.or_else(|| path.get(i + 1).and_then(|next| next.from))
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// A role id of the ladder.
    Role(String),
    /// A job outside the ladder, by its free text.
    Outside(String),
}

pub const KEYS: &[&str] = &[
    "title",
    "name",
    "date",
    "role",
    "slug",
    "origin",
    "location",
    "photo",
    "photo_alt",
    "photo_focus",
    "quote",
    "tags",
    "video",
    "featured",
    "draft",
    "path",
    "relations",
    "extra",
];

const WHAT: &str = "the front matter";

/// `"50% 30%"` as `(0.5, 0.3)`: two percentages from 0 to 100, across
/// then down (as CSS `object-position` writes them).
pub fn parse_focus(text: &str) -> Option<(f64, f64)> {
    let mut parts = text.split_whitespace().map(|p| p.strip_suffix('%')?.parse::<f64>().ok());
    let (x, y) = (parts.next()??, parts.next()??);
    let ok = |v: f64| (0.0..=100.0).contains(&v);
    (parts.next().is_none() && ok(x) && ok(y)).then_some((x / 100.0, y / 100.0))
}

/// Parses one story file, adding every problem to `errors`. Returns `None`
/// only when there is no front matter to read. A story with errors is still
/// returned, with placeholders (empty text, role ``) for what could not be
/// read, so that checks between files see its slug and links; the site is
/// never built from it because `errors` is not empty.
pub fn parse(file: &str, text: &str, errors: &mut Vec<Diagnostic>) -> Option<Story> {
    let (t, mut r, parts) = frontmatter::parse(file, text, errors)?;
    let at = parts.opening.clone();
    r.unknown_keys(&t, KEYS, WHAT);
    let title = r.req_str(&t, "title", &at, WHAT);
    let name = r.req_str(&t, "name", &at, WHAT);
    let date = match t.get("date") {
        None => {
            r.missing(at.clone(), "date", WHAT, "date = 2019-05-02");
            None
        }
        Some(_) => r.date(&t, "date"),
    };
    let role = r.req_str(&t, "role", &at, WHAT);
    let slug = story_slug(&mut r, &t, file);
    // An optional text left empty (`location = ""`) is the same as leaving
    // it out: a CMS writes a field that was filled in and cleared that way.
    let given = |r: &mut Reader, key: &str| r.str(&t, key).filter(|s| !s.value.trim().is_empty());
    let opt = |r: &mut Reader, key: &str| given(r, key).map(|s| s.value);
    let origin = given(&mut r, "origin");
    check_sluggable(&mut r, "origin", origin.as_slice());
    let origin = origin.map(|o| o.value);
    let location = opt(&mut r, "location");
    let quote = opt(&mut r, "quote");
    let photo = given(&mut r, "photo");
    let photo_alt = given(&mut r, "photo_alt");
    if let (Some(p), None) = (&photo, &photo_alt) {
        r.errors.push(
            Diagnostic::at(
                file,
                p.span.clone(),
                "`photo` needs `photo_alt`, a description for people who cannot see it",
            )
            .hint("add photo_alt = \"...\" saying what the photo shows"),
        );
    }
    let photo_focus = given(&mut r, "photo_focus").and_then(|f| match parse_focus(&f.value) {
        Some(xy) => Some(xy),
        None => {
            r.errors.push(
                Diagnostic::at(file, f.span.clone(), format!("`photo_focus` `{}` is not a focal point", f.value)).hint(
                    "give the point to keep in view as two percentages, across then down: photo_focus = \"50% 30%\"",
                ),
            );
            None
        }
    });
    let tags = r.str_list(&t, "tags");
    check_sluggable(&mut r, "tags", &tags);
    let tags = tags.into_iter().map(|s| s.value).collect();
    let video = super::video::read(&mut r, &t, text);
    let featured = r.bool(&t, "featured").unwrap_or(false);
    let draft = r.bool(&t, "draft").unwrap_or(false);
    let path = read_path(&mut r, &t, role.as_ref());
    let (mut parents, mut mentors) = (Vec::new(), Vec::new());
    if let Some((rel, _)) = r.table(&t, "relations") {
        r.unknown_keys(rel, &["parents", "mentors"], "[relations]");
        parents = r.str_list(rel, "parents");
        mentors = r.str_list(rel, "mentors");
    }
    let extra = match r.table(&t, "extra") {
        Some((e, _)) => r.json(e),
        None => serde_json::Value::Object(Default::default()),
    };
    errors.append(&mut r.errors);
    let role = role.unwrap_or_else(|| Sp::new(String::new(), at.clone()));
    let mut story = Story {
        file: file.to_string(),
        lang: super::languages::file_lang(file),
        slug,
        title: title.map(|t| t.value).unwrap_or_default(),
        name: name.map(|n| n.value).unwrap_or_default(),
        date_span: date.as_ref().map_or(at.clone(), |d| d.span.clone()),
        date: date.map_or(Date { year: 1970, month: 1, day: 1 }, |d| d.value),
        opening: at.clone(),
        path: path.unwrap_or_else(|| {
            vec![Step { place: Place::Role(role.value.clone()), span: role.span.clone(), from: None, to: None }]
        }),
        role,
        origin,
        location,
        photo,
        photo_alt: photo_alt.map(|s| s.value),
        photo_focus,
        quote,
        tags,
        video,
        featured,
        draft,
        parents,
        mentors,
        extra,
        front_fingerprint: crate::text::fingerprint(&(file, &text[..parts.body.start])),
        body_offset: parts.body.start,
        body: text[parts.body].to_string(),
        fingerprint: crate::text::fingerprint(&(file, text)),
        structure_fingerprint: 0,
    };
    let structure = crate::text::fingerprint(&story.structure());
    story.structure_fingerprint = structure;
    Some(story)
}

/// The story's slug: `slug` if given (checked), else from the file name.
pub fn story_slug(r: &mut Reader, t: &toml::de::DeTable, file: &str) -> Sp<String> {
    match r.str(t, "slug") {
        Some(s) => {
            r.errors.extend(crate::ids::check(r.file, &s, "slug", "slug"));
            s
        }
        None => {
            let stem = std::path::Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let slug = slugify(super::languages::split_file_lang(stem).0);
            if slug.is_empty() {
                r.errors.push(
                    Diagnostic::at(r.file, 0..0, "the file name has no letters or digits to make a URL from")
                        .hint("rename the file, or set slug = \"...\" in the front matter"),
                );
            }
            Sp::new(slug, 0..0)
        }
    }
}

/// Tags and origins become URLs (`/tags/<slug>/`): they need a letter or digit.
fn check_sluggable(r: &mut Reader, key: &str, values: &[Sp<String>]) {
    for v in values {
        if slugify(&v.value).is_empty() {
            r.errors.push(
                Diagnostic::at(
                    r.file,
                    v.span.clone(),
                    format!("this {} has no letters or digits to make a URL from", key.trim_end_matches('s')),
                )
                .hint("use a word, like \"career-change\""),
            );
        }
    }
}

/// Reads `path`; `None` when absent (the journey is then just `[role]`).
fn read_path(r: &mut Reader, t: &toml::de::DeTable, role: Option<&Sp<String>>) -> Option<Vec<Step>> {
    let v = t.get("path")?;
    let DeValue::Array(items) = v.get_ref() else {
        r.error(v.span(), "`path` must be a list of steps").hint =
            Some("write path = [ { outside = \"Retail\", from = 2010 }, \"agent\" ]".into());
        return None;
    };
    if items.is_empty() {
        r.error(v.span(), "`path` is empty").hint = Some("list at least the current role, or remove `path`".into());
        return None;
    }
    let mut steps = Vec::new();
    for item in items.iter() {
        let span = r.abs(item.span());
        match item.get_ref() {
            DeValue::String(s) => steps.push(Step { place: Place::Role(s.to_string()), span, from: None, to: None }),
            DeValue::Table(st) => {
                let what = "a `path` step";
                r.unknown_keys(st, &["role", "outside", "from", "to", "type"], what);
                let role = r.str(st, "role");
                let outside = r.str(st, "outside");
                step_type(r, st, role.is_some(), outside.is_some());
                let from = r.int(st, "from").map(|i| i.value);
                let to = r.int(st, "to").map(|i| i.value);
                if let (Some(f), Some(t2)) = (from, to) {
                    if f > t2 {
                        r.errors.push(
                            Diagnostic::at(
                                r.file,
                                span.clone(),
                                format!("this step ends ({t2}) before it starts ({f})"),
                            )
                            .hint("`from` is the first year in the job, `to` the last"),
                        );
                    }
                }
                let place = match (role, outside) {
                    (Some(ro), None) => Place::Role(ro.value),
                    (None, Some(o)) if o.value.trim().is_empty() => {
                        r.errors.push(
                            Diagnostic::at(r.file, o.span, "`outside` is empty")
                                .hint("name the job, e.g. outside = \"Retail\""),
                        );
                        continue;
                    }
                    (None, Some(o)) => Place::Outside(o.value),
                    (Some(_), Some(_)) => {
                        r.errors.push(
                            Diagnostic::at(r.file, span.clone(), "a step has both `role` and `outside`")
                                .hint("use `role` for a ladder role or `outside` for a job elsewhere, not both"),
                        );
                        continue;
                    }
                    (None, None) => {
                        r.errors.push(
                            Diagnostic::at(r.file, span.clone(), "a step needs `role` or `outside`").hint(
                                "write { role = \"agent\", from = 2015 } or { outside = \"Retail\", from = 2010 }",
                            ),
                        );
                        continue;
                    }
                };
                steps.push(Step { place, span, from, to });
            }
            _ => {
                r.error(item.span(), "a `path` step must be a role id or a table").hint =
                    Some("write \"agent\" or { role = \"agent\", from = 2015 }".into());
            }
        }
    }
    if let (Some(last), Some(role)) = (steps.last(), role) {
        if last.place != Place::Role(role.value.clone()) {
            r.errors.push(
                Diagnostic::at(r.file, last.span.clone(), "the last step of `path` is not the current `role`")
                    .label(format!("`role` is `{}`", role.value))
                    .hint(format!("end the path with \"{}\", or change `role`", role.value)),
            );
        }
    }
    Some(steps)
}

/// `type = "role"` or `type = "outside"`, as a CMS's typed list writes
/// it: allowed, and it must name the key the step has.
fn step_type(r: &mut Reader, st: &toml::de::DeTable<'_>, role: bool, outside: bool) {
    let Some(t) = r.str(st, "type") else { return };
    let agrees = match t.value.as_str() {
        "role" => role || !outside,
        "outside" => outside || !role,
        _ => false,
    };
    if !agrees {
        r.errors.push(
            Diagnostic::at(
                r.file,
                t.span,
                format!("this step's `type` is \"{}\", which does not fit its keys", t.value),
            )
            .hint("`type` may be \"role\" (with role = ...) or \"outside\" (with outside = ...), or be left out"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\ntitle = \"T\"\nname = \"Ana\"\ndate = 2020-01-02\nrole = \"lead\"\npath = [{ outside = \"Retail\", from = 2010 }, { role = \"agent\", from = 2012, to = 2015 }, \"lead\"]\n[relations]\nmentors = [\"bo\"]\n+++\nHello\n";

    #[test]
    fn parses_a_story() {
        let mut errors = Vec::new();
        let s = parse("content/stories/ana-x.md", GOOD, &mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!(s.slug.value, "ana-x");
        assert_eq!(s.path.len(), 3);
        assert_eq!(s.path[0].place, Place::Outside("Retail".into()));
        assert_eq!(s.mentors[0].value, "bo");
        assert_eq!(s.body, "Hello\n");
    }

    #[test]
    fn path_must_end_at_role_and_errors_point_into_md() {
        let text = GOOD.replace("\"lead\"]", "\"agent\"]");
        let mut errors = Vec::new();
        assert!(parse("a.md", &text, &mut errors).is_some());
        assert_eq!(errors.len(), 1);
        let span = errors[0].span.clone().unwrap();
        assert_eq!(&text[span], "\"agent\"");
    }

    #[test]
    fn missing_keys_point_at_opening_line() {
        let mut errors = Vec::new();
        let s = parse("a.md", "+++\ntitle = \"T\"\n+++\n", &mut errors).unwrap();
        assert_eq!(s.role.value, "");
        assert_eq!(errors.len(), 3);
        assert!(errors.iter().all(|e| e.span == Some(0..3)));
    }
}
