//! The client-side search index, `search.json`: every published story and
//! every role of the ladder, with the few fields a reader searches by. The
//! theme's `js/search.js` loads it on the stories index the first time the
//! search box is used; without JavaScript the box stays hidden and the page
//! is the full list, so nothing depends on it.

use super::views::Card;
use crate::model::Site;
use serde::Serialize;
use std::sync::Arc;

/// Where the index is written, under the output folder.
pub const FILE: &str = "search.json";

#[derive(Serialize)]
struct Index<'a> {
    stories: Vec<StoryEntry<'a>>,
    roles: Vec<RoleEntry<'a>>,
}

#[derive(Serialize)]
struct StoryEntry<'a> {
    title: &'a str,
    name: &'a str,
    role: &'a str,
    url: &'a str,
    excerpt: &'a str,
    /// Tags and how they got in, as one list of words to match.
    topics: Vec<&'a str>,
}

#[derive(Serialize)]
struct RoleEntry<'a> {
    title: &'a str,
    track: &'a str,
    url: String,
    summary: &'a str,
    skills: &'a [String],
}

/// The index as JSON, stories newest first, roles in ladder order. URLs are
/// site paths under the base path (the index is read from any page).
pub fn index(site: &Site, cards: &[Arc<Card>]) -> String {
    let stories = cards
        .iter()
        .map(|c| StoryEntry {
            title: &c.title,
            name: &c.name,
            role: &c.role.name,
            url: &c.url,
            excerpt: &c.excerpt,
            topics: c.tags.iter().chain(&c.origin).map(|l| l.name.as_str()).collect(),
        })
        .collect();
    let roles = site
        .ladder
        .iter()
        .flat_map(|l| l.roles.iter().map(move |r| (l, r)))
        .map(|(l, r)| RoleEntry {
            title: &r.title,
            track: l.tracks.iter().find(|t| t.id.value == r.track.value).map_or("", |t| t.name.as_str()),
            url: site.config.base.link(&format!("roles/{}/", r.id.value)),
            summary: &r.summary,
            skills: &r.skills,
        })
        .collect();
    let json = serde_json::to_string(&Index { stories, roles }).unwrap_or_else(|_| "{}".into());
    crate::text::markup_free_json(&json)
}
