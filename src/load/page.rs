//! A free page: `content/pages/**/*.md`, published at `/<slug>/`.

use super::frontmatter;
use super::story::story_slug;
use crate::diagnostics::Diagnostic;
use crate::load::fields::Sp;

#[derive(Debug, Clone)]
pub struct Page {
    pub file: String,
    /// The language code of the file's name, as for stories.
    pub lang: Option<String>,
    pub slug: Sp<String>,
    pub title: String,
    pub description: Option<String>,
    pub draft: bool,
    /// Order in the navigation (lower first), then title.
    pub weight: i64,
    pub extra: serde_json::Value,
    pub body: String,
    /// Where `body` starts in the file (bytes): body positions + this = file positions.
    pub body_offset: usize,
    /// Of the file's path and text (see `Story::fingerprint`).
    pub fingerprint: u64,
}

const KEYS: &[&str] = &["title", "slug", "description", "draft", "weight", "extra"];

pub fn parse(file: &str, text: &str, errors: &mut Vec<Diagnostic>) -> Option<Page> {
    let (t, mut r, parts) = frontmatter::parse(file, text, errors)?;
    r.unknown_keys(&t, KEYS, "the front matter");
    let title = r.req_str(&t, "title", &parts.opening, "the front matter");
    let slug = story_slug(&mut r, &t, file);
    let description = r.str(&t, "description").map(|s| s.value);
    let draft = r.bool(&t, "draft").unwrap_or(false);
    let weight = r.int(&t, "weight").map_or(0, |w| w.value);
    let extra = match r.table(&t, "extra") {
        Some((e, _)) => r.json(e),
        None => serde_json::Value::Object(Default::default()),
    };
    errors.append(&mut r.errors);
    Some(Page {
        file: file.into(),
        lang: super::languages::file_lang(file),
        slug,
        title: title.map(|t| t.value).unwrap_or_default(),
        description,
        draft,
        weight,
        extra,
        body_offset: parts.body.start,
        body: text[parts.body].into(),
        fingerprint: crate::text::fingerprint(&(file, text)),
    })
}
