//! The share cards pages point at (see `render::share`): every story's (made
//! from its photo when it has a raster one, else drawn), every role's, and
//! the site's, which every other page shows.

use super::Renderer;
use crate::model::{Ix, Site};
use crate::render::{share, views, Content, Output};
use std::sync::Arc;

/// A page's share image: the file to write, its site path, its text
/// alternative and its type.
pub struct Shared {
    pub image: share::Image,
    pub path: String,
    pub alt: String,
    pub mime: &'static str,
}

impl Shared {
    fn drawn(card: share::Card, path: String, site: &Site) -> Shared {
        let alt = card_alt(&card);
        Shared { image: share::Image::card(card, site.media.cache()), path, alt, mime: "image/png" }
    }

    pub fn output(self) -> Output {
        Output { path: self.path, content: Content::Drawn(Arc::new(self.image)) }
    }
}

/// The cards' background and text colours: the primary colour and the text
/// colour readable on it; the background is darkened (or lightened) as
/// little as it takes for the text to have 4.5:1 contrast, for the mid
/// tones where neither white nor black text has it.
pub(crate) fn brand_colours(site: &Site) -> (String, String) {
    card_colours(&site.config.brand.primary_color)
}

fn card_colours(primary: &str) -> (String, String) {
    use crate::color::{contrast, hex, rgb, with_contrast};
    let text = views::readable_on(primary);
    let away = if text == "#ffffff" { [0, 0, 0] } else { [255, 255, 255] };
    let background = with_contrast(rgb(primary), away, &[rgb(text)], 4.5, 20);
    debug_assert!(contrast(background, rgb(text)) >= 4.5);
    (hex(background), text.to_string())
}

/// A card in the site's colours (see `share`).
pub(crate) fn brand_card(site: &Site, headline: &str, footer: String) -> share::Card {
    let c = &site.config;
    let kicker = if c.brand.company.is_empty() { c.title.clone() } else { c.brand.company.clone() };
    let (background, text) = brand_colours(site);
    share::Card {
        kicker,
        headline: headline.to_string(),
        footer,
        background,
        text,
        accent: c.brand.accent_color.clone(),
    }
}

/// The site's own card (`og/site.<hash>.png`), for every page without one
/// of its own: the company, the site's description (else its title) and,
/// below, its title (else its address).
pub(crate) fn site_card(site: &Site) -> Shared {
    let c = &site.config;
    let (headline, footer) = if c.description.trim().is_empty() {
        (c.title.clone(), c.base.url.trim_start_matches("https://").trim_start_matches("http://").into())
    } else {
        (c.description.clone(), c.title.clone())
    };
    let card = brand_card(site, &headline, footer);
    let path = card.path("", "site");
    Shared::drawn(card, path, site)
}

impl Renderer<'_> {
    /// Story `i`'s card: made from its photo when it has a raster one the
    /// image plan read, else drawn.
    pub(super) fn story_share_card(&self, i: Ix) -> Shared {
        let site = self.site;
        let card = &self.cards[i];
        let story = &site.stories[i];
        let sc = brand_card(site, &card.title, format!("{} · {}", card.name, card.role.name));
        let photo =
            story.photo.as_ref().map(|p| p.value.trim_start_matches('/')).filter(|p| crate::media::is_raster(p));
        let focus = story.photo_focus.unwrap_or((0.5, 0.5));
        let made = photo.and_then(|p| Some((site.media.source_hash(p)?, site.media.share_crop(p, focus)?)));
        if let Some((hash, crop)) = made {
            let mut alt = card_alt(&sc);
            if let Some(photo_alt) = &story.photo_alt {
                alt = site.words.tf("share.with_photo", &[("card", &alt), ("photo", photo_alt)]);
            }
            let pc = share::PhotoCard { card: sc, crop: crop.to_path_buf(), source_hash: hash.to_string(), focus };
            let file = pc.path("stories", &card.slug);
            return Shared { image: share::Image::photo(pc, site.media.cache()), path: file, alt, mime: "image/jpeg" };
        }
        let file = sc.path("stories", &card.slug);
        Shared::drawn(sc, file, site)
    }

    /// Role `i`'s card.
    pub(super) fn role_share_card(&self, i: usize) -> Shared {
        let Some(l) = &self.site.ladder else {
            return site_card(self.site);
        };
        let r = &l.roles[i];
        let track = l.tracks.iter().find(|t| t.id.value == r.track.value).map_or("", |t| t.name.as_str());
        let level = self.site.words.tn("map.level", u64::from(r.level), &[]);
        let sc = brand_card(self.site, &r.title, format!("{track} · {level}"));
        let file = sc.path("roles", &r.id.value);
        Shared::drawn(sc, file, self.site)
    }

    /// Every story's and role's share card. Drawn when written or served
    /// and missing from the cache, not here.
    pub fn share_cards(&self) -> Vec<Output> {
        use rayon::prelude::*;
        let mut cards: Vec<Output> =
            (0..self.site.stories.len()).into_par_iter().map(|i| self.story_share_card(i).output()).collect();
        let roles = self.site.ladder.as_ref().map_or(0, |l| l.roles.len());
        cards.extend((0..roles).map(|i| self.role_share_card(i).output()));
        cards
    }
}

/// A drawn card's text alternative: what it says.
pub(super) fn card_alt(c: &share::Card) -> String {
    format!("{}: {} ({})", c.kicker, c.headline, c.footer)
}

#[cfg(test)]
mod tests {
    #[test]
    fn share_card_text_has_4_5_to_1_contrast_on_any_brand_colour() {
        use crate::color::{contrast, rgb};
        for primary in ["#14532d", "#777777", "#808080", "#f59e0b", "#3b82f6", "#ffffff", "#000000", "#e11d48"] {
            let (bg, text) = super::card_colours(primary);
            assert!(contrast(rgb(&bg), rgb(&text)) >= 4.5, "{primary}: {bg} under {text}");
        }
        assert_eq!(super::card_colours("#14532d"), ("#14532d".into(), "#ffffff".into()), "kept when it reads");
    }
}
