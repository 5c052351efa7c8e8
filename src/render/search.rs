//! The client-side search index, `search.json`: every published story and
//! every role of the ladder, with everything a reader searches by. The
//! theme's `js/search.js` fetches it on the stories index the first time the
//! search box is focused or typed in, and ranks matches itself (a name or a
//! headline above a role or a tag, above a word of the body). Without
//! JavaScript the box is not shown (a `scripting` media query, so the page
//! does not shift when the script starts) and the page is the full list.
//!
//! What is shown (name, headline, role, location, quote, tags...) is kept as
//! written, for the results list. The rest of what the story's page shows
//! (its body, the journey's steps, the people in the story, the photo's
//! text, the video's transcript) is kept only as its distinct words, folded
//! ([`fold`]) and sorted, without the words that begin another one: the
//! search matches prefixes, so `schedule` is found in `scheduler` and need
//! not be kept too. That keeps the index a few
//! kilobytes gzipped for the demo (see docs/search.md).
//!
//! URLs are relative to the index itself, so results resolve wherever the
//! site is served from. A site in one language has one index at the root;
//! the index of another language `xx` belongs at `xx/search.json`, beside
//! that language's pages (`/xx/stories/` reads `../search.json`, as the
//! form's `data-index` says), and says its language in `lang`: a reader
//! fetches only the words of the language they read.

use super::views::Card;
use crate::load::story::Place;
use crate::model::Site;
use pulldown_cmark::{Event, Options, Parser};
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Where the index of the site's default language is written, under the
/// output folder (another language's: under its `<lang>/` folder).
pub const FILE: &str = "search.json";

#[derive(Serialize)]
struct Index<'a> {
    /// The language of the pages the index finds (`site.toml`'s).
    lang: &'a str,
    stories: Vec<StoryEntry<'a>>,
    roles: Vec<RoleEntry<'a>>,
}

#[derive(Serialize)]
struct StoryEntry<'a> {
    url: String,
    name: &'a str,
    title: &'a str,
    role: &'a str,
    track: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a str>,
    /// Tags and how they got in, as written.
    topics: Vec<&'a str>,
    /// The body's distinct words (see [`words`]), space-separated.
    words: String,
}

#[derive(Serialize)]
struct RoleEntry<'a> {
    url: String,
    title: &'a str,
    track: &'a str,
    summary: &'a str,
    skills: &'a [String],
}

/// The index as JSON, stories newest first (as `cards`, which are in the
/// order of `site.stories`), roles in ladder order.
pub fn index(site: &Site, cards: &[Arc<Card>]) -> String {
    use rayon::prelude::*;
    let track_name = |role: &str| {
        let track = site.role(role).map(|r| r.track.value.as_str());
        let tracks = site.ladder.iter().flat_map(|l| &l.tracks);
        tracks.into_iter().find(|t| Some(t.id.value.as_str()) == track).map_or("", |t| t.name.as_str())
    };
    // Each story's words are a pass over its Markdown: in parallel, as
    // `serve` makes the index again after any edit to a body.
    let stories = (0..site.stories.len().min(cards.len()))
        .into_par_iter()
        .map(|i| (i, &site.stories[i], &cards[i]))
        .map(|(i, s, c)| StoryEntry {
            url: relative(site, &c.url),
            name: &c.name,
            title: &c.title,
            role: &c.role.name,
            track: track_name(&s.role.value),
            location: c.location.as_deref(),
            quote: c.quote.as_deref(),
            topics: c.tags.iter().chain(&c.origin).map(|l| l.name.as_str()).collect(),
            words: words(&page_text(site, i)),
        })
        .collect();
    let roles = site
        .ladder
        .iter()
        .flat_map(|l| &l.roles)
        .map(|r| RoleEntry {
            url: format!("roles/{}/", r.id.value),
            title: &r.title,
            track: track_name(&r.id.value),
            summary: &r.summary,
            skills: &r.skills,
        })
        .collect();
    let index = Index { lang: &site.config.language, stories, roles };
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "{}".into());
    crate::text::markup_free_json(&json)
}

/// A card's URL (under the base path) relative to the site's root, where
/// the index is.
fn relative(site: &Site, url: &str) -> String {
    // Pages of another language are under its folder, beside its index.
    let own = site.config.base.page("");
    url.strip_prefix(own.as_str()).unwrap_or(url).to_string()
}

/// Everything story `i`'s own page shows that its entry has no field for:
/// the body's text (headings, image text and code included), the steps of
/// the journey, the people in the story (parents, children, mentors,
/// mentees), the photo's text and the video's transcript.
fn page_text(site: &Site, i: crate::model::Ix) -> String {
    let s = &site.stories[i];
    let mut text = String::new();
    for ev in Parser::new_ext(&s.body, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES) {
        if let Event::Text(t) | Event::Code(t) = ev {
            text.push_str(&t);
        }
        text.push(' ');
    }
    for step in &s.path {
        match &step.place {
            Place::Role(id) => text.push_str(&site.role_title(id)),
            Place::Outside(t) => text.push_str(t),
        }
        text.push(' ');
    }
    let r = &site.relations[i];
    for &p in r.parents.iter().chain(&r.children).chain(&r.mentors).chain(&r.mentees) {
        text.push_str(&site.stories[p].name);
        text.push(' ');
    }
    for extra in [s.photo_alt.as_deref(), s.video.as_ref().map(|v| v.transcript.as_str())].into_iter().flatten() {
        text.push_str(extra);
        text.push(' ');
    }
    text
}

/// The distinct folded words of `text`, sorted, without a word that another
/// one begins with (prefix search finds it there), space-separated. A
/// hyphenated or apostrophed word is kept whole too, joined (`real-time`
/// gives `real`, `time` and `realtime`), as readers type it either way.
pub fn words(text: &str) -> String {
    let folded = fold(text);
    let mut set = BTreeSet::new();
    for chunk in folded.split(|c: char| !is_word_char(c) && !is_joiner(c)) {
        let parts: Vec<&str> = chunk.split(is_joiner).filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 {
            set.insert(parts.concat());
        }
        set.extend(parts.into_iter().map(String::from));
    }
    let list: Vec<&String> = set.iter().collect();
    let kept: Vec<&str> = list
        .iter()
        .enumerate()
        .filter(|(i, w)| list.get(i + 1).is_none_or(|next| !next.starts_with(w.as_str())))
        .map(|(_, w)| w.as_str())
        .collect();
    kept.join(" ")
}

/// What a word is made of; `search.js` splits on the same (`\p{L}\p{N}`,
/// its marks stripped by [`fold`]).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// What joins the parts of one word: hyphens and apostrophes.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '\u{2010}' | '\u{2011}' | '\u{2019}')
}

/// Lower case without accents: canonical decomposition (NFD), then the
/// combining marks dropped, so `Zoë`, `ZOE` and `zoe` are one word. The same
/// as `fold` in the themes' `search.js` (`normalize("NFD")`, the same mark
/// ranges, `toLowerCase()`), which folds the reader's query.
pub fn fold(text: &str) -> String {
    let nfd = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd().normalize(text);
    nfd.chars().filter(|c| !is_combining_mark(*c)).collect::<String>().to_lowercase()
}

/// The Unicode blocks of combining diacritical marks.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Zoë Ångström CAFÉ"), "zoe angstrom cafe");
        assert_eq!(fold("São Paulo"), "sao paulo");
    }

    #[test]
    fn keeps_distinct_words_that_no_other_word_begins() {
        assert_eq!(words("Schedule, scheduling and the SCHEDULER."), "and scheduler scheduling the");
        assert_eq!(words("real-time work"), "realtime time work");
        assert_eq!(words("Zoë's café"), "cafe s zoes");
        assert_eq!(words(""), "");
    }
}
