//! The share cards pages point at (see `render::share`): a story's when it
//! has no photo social networks can show, and every role's.

use super::Renderer;
use crate::model::Ix;
use crate::render::{share, views, Content, Output};
use std::sync::Arc;

impl Renderer<'_> {
    /// A share card in the site's colours (see `share`).
    pub(super) fn share_card(&self, headline: &str, footer: String) -> share::Card {
        let c = &self.site.config;
        let kicker = if c.brand.company.is_empty() { c.title.clone() } else { c.brand.company.clone() };
        share::Card {
            kicker,
            headline: headline.to_string(),
            footer,
            background: c.brand.primary_color.clone(),
            text: views::readable_on(&c.brand.primary_color).into(),
            accent: c.brand.accent_color.clone(),
        }
    }

    /// Story `i`'s share card and its file (used when it has no photo).
    pub(super) fn story_share_card(&self, i: Ix) -> (share::Card, String) {
        let card = &self.cards[i];
        let sc = self.share_card(&card.title, format!("{} · {}", card.name, card.role.name));
        let file = sc.path("stories", &card.slug);
        (sc, file)
    }

    /// Role `i`'s share card and its file.
    pub(super) fn role_share_card(&self, i: usize) -> (share::Card, String) {
        let Some(l) = &self.site.ladder else {
            return (self.share_card("", String::new()), String::new());
        };
        let r = &l.roles[i];
        let track = l.tracks.iter().find(|t| t.id.value == r.track.value).map_or("", |t| t.name.as_str());
        let sc = self.share_card(&r.title, format!("{track} · Level {}", r.level));
        let file = sc.path("roles", &r.id.value);
        (sc, file)
    }

    /// Every share card the pages point at: stories without a photo social
    /// networks can show, and roles. Drawn when written or served, not here.
    pub fn share_cards(&self) -> Vec<Output> {
        use rayon::prelude::*;
        let stories =
            (0..self.site.stories.len()).into_par_iter().filter(|&i| share::needs_card(&self.site.stories[i]));
        let mut cards: Vec<(share::Card, String)> = stories.map(|i| self.story_share_card(i)).collect();
        let roles = self.site.ladder.as_ref().map_or(0, |l| l.roles.len());
        cards.extend((0..roles).map(|i| self.role_share_card(i)));
        cards.into_iter().map(|(c, path)| Output { path, content: Content::ShareCard(Arc::new(c)) }).collect()
    }
}

/// A share card's text alternative: what it says.
pub(super) fn card_alt(c: &share::Card) -> String {
    format!("{}: {} ({})", c.kicker, c.headline, c.footer)
}
