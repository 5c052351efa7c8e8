//! The path map: the ladder's roles in a grid (one band per track, one row per
//! level, level 1 at the bottom), the moves the ladder supports, and the
//! journeys people took drawn over them, edge width by how many took a move.
//!
//! Pure data in, SVG string out: [`layout`] places everything once per site,
//! [`svg::render`] draws it, optionally highlighting some journeys (a story's,
//! a family's). Nothing here touches files or templates.

pub mod compact;
pub mod layout;
mod order;
pub mod quality;
mod route;
pub mod svg;

pub use layout::{layout, Layout};
pub use svg::{highlight_colors, render, Highlight, MapOptions, People, HIGHLIGHT_COLORS_LEN};

use crate::load::story::Place;

/// A band of the map.
#[derive(Debug, Clone)]
pub struct MapTrack {
    pub id: String,
    pub name: String,
    pub color: String,
}

/// A node of the map.
#[derive(Debug, Clone)]
pub struct MapRole {
    pub id: String,
    pub title: String,
    pub track: String,
    pub level: u32,
    /// Link to the role's page.
    pub href: String,
    /// Moves the ladder supports.
    pub next: Vec<String>,
}

/// A role that is hiring: how many openings, and the link to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hiring {
    pub count: usize,
    pub href: String,
    /// A compact map's line for the role, "Hiring: 3 open positions", in
    /// the map's words (see [`hiring_text`]): made once per role, not on
    /// each of the thousands of story maps that show it.
    pub text: String,
}

/// [`Hiring::text`] of a role with `count` openings.
pub fn hiring_text(w: &crate::i18n::Words, count: usize) -> String {
    w.tf("map.hiring", &[("positions", &svg::open_positions(w, count))])
}

/// Everything the map shows.
#[derive(Debug, Clone, Default)]
pub struct MapInput {
    pub tracks: Vec<MapTrack>,
    pub roles: Vec<MapRole>,
    /// Every journey, oldest step first.
    pub journeys: Vec<Vec<Place>>,
    /// The person of each journey, by the same index (may be shorter, or
    /// empty: journeys without a name are counted but not named). The
    /// full map names who made each move ([`svg::people`]).
    pub names: Vec<String>,
    /// The roles with open positions, by id: badged on the map, named in
    /// its legend and in the nodes' titles.
    pub hiring: std::collections::BTreeMap<String, Hiring>,
    /// The words the map writes ("Level 1", the legend, line titles), in
    /// the page's language.
    pub words: std::sync::Arc<crate::i18n::Words>,
}
