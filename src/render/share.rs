//! Share cards: the 1200×630 PNG that social networks show for a story (when
//! it has no photo) or a role, in the site's brand colours — the company, a
//! headline, and who or what it is about. Drawn in-process: an SVG of the
//! card is rasterised by resvg with DejaVu Sans compiled into the binary (no
//! system fonts), so the PNG is the same bytes on every machine.
//!
//! A card's file name carries a hash of what it shows
//! (`og/stories/ana.1a2b3c4d5e.png`): social networks cache images by URL,
//! so an edited card gets a new one, and a build reuses the previous
//! output's file of the same name instead of drawing it again. A card is
//! drawn only when it is written or served ([`super::Content::ShareCard`]).

use crate::text::escape_xml as esc;
use std::sync::{Arc, OnceLock};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// Part of every card's hash: the SVG is drawn from the card's fields by
/// this file's code, so a change to how cards are drawn must change this,
/// or builds would reuse the old drawings.
const DRAWING: &str = "share-card-v1";

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
const FAMILY: &str = "DejaVu Sans";

/// Left and right margins of the text, and its width.
const LEFT: f32 = 80.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - LEFT - 80.0;

/// Whether a story gets a share card: when it has no photo social networks
/// can show (they take JPEG, PNG, GIF and WebP, not SVG).
pub fn needs_card(story: &crate::load::story::Story) -> bool {
    let raster = |p: &str| {
        let ext = p.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
        matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "gif" | "webp")
    };
    !story.photo.as_ref().is_some_and(|p| raster(&p.value))
}

/// What a card shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Card {
    /// Above the headline: the company or site.
    pub kicker: String,
    pub headline: String,
    /// Below it: the person and role, or the role's track and level.
    pub footer: String,
    pub background: String,
    pub text: String,
    pub accent: String,
}

impl Card {
    /// `og/<folder>/<name>.<hash>.png`: the file's path under the output.
    /// The hash is of the fields and [`DRAWING`], not of the drawn SVG:
    /// `serve` names every card on every run, and laying out thousands of
    /// headlines each time would cost more than the rest of a reload.
    pub fn path(&self, folder: &str, name: &str) -> String {
        let Card { kicker, headline, footer, background, text, accent } = self;
        let key = [DRAWING, kicker, headline, footer, background, text, accent].join("\n");
        format!("og/{folder}/{name}.{}.png", crate::render::assets::fnv_hex(key.as_bytes()))
    }

    /// The card as SVG (text wrapped and cut to fit, escaped).
    pub fn svg(&self) -> String {
        let (size, lines) = fit_headline(&self.headline);
        let line_height = size * 1.22;
        let block = line_height * lines.len() as f32;
        // The headline block is centred between the kicker and the footer.
        let top = 150.0 + (330.0 - block) / 2.0 + size;
        let tspans: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| format!(r#"<tspan x="{LEFT}" y="{:.0}">{}</tspan>"#, top + i as f32 * line_height, esc(l)))
            .collect();
        let kicker = esc(&cut(&self.kicker, true, 34.0));
        let footer = esc(&cut(&self.footer, false, 36.0));
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="{WIDTH}" height="{HEIGHT}" fill="{bg}"/><rect width="24" height="{HEIGHT}" fill="{accent}"/><rect x="{LEFT}" y="545" width="96" height="8" rx="4" fill="{accent}"/><g font-family="{FAMILY}" fill="{fg}"><text x="{LEFT}" y="110" font-weight="bold" font-size="34">{kicker}</text><text font-weight="bold" font-size="{size:.0}">{tspans}</text><text x="{LEFT}" y="510" font-size="36">{footer}</text></g></svg>"##,
            bg = esc(&self.background),
            fg = esc(&self.text),
            accent = esc(&self.accent),
        )
    }

    /// The card drawn as PNG (indexed colour, see [`Card::quantize`]).
    pub fn png(&self) -> Result<Vec<u8>, String> {
        let tree = resvg::usvg::Tree::from_str(&self.svg(), options()).map_err(|e| e.to_string())?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("cannot allocate the card")?;
        resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
        let (palette, indices) = self.quantize(pixmap.data());
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(palette);
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_image_data(&indices).map_err(|e| e.to_string())?;
        w.finish().map_err(|e| e.to_string())?;
        Ok(out)
    }

    /// The drawn pixels as an indexed image. Every pixel of a card is the
    /// background blended with the text colour (glyph edges) or with the
    /// accent (the bar's round ends), so a palette of those two ramps holds
    /// them all, within a 64th of a step: a PNG a fifth the size of RGBA,
    /// and quicker to compress.
    fn quantize(&self, rgba: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let [bg, fg, accent] = [&self.background, &self.text, &self.accent].map(|c| super::views::rgb(c));
        let mut palette: Vec<[u8; 3]> = Vec::new();
        for (to, steps) in [(fg, 64), (accent, 32)] {
            for k in 0..=steps {
                let mix =
                    |i: usize| (bg[i] as f32 + (to[i] as f32 - bg[i] as f32) * k as f32 / steps as f32).round() as u8;
                palette.push([mix(0), mix(1), mix(2)]);
            }
        }
        // The nearest entry: the pixel projected onto each ramp, the closer
        // ramp's step.
        let ramps = [(fg, 64usize, 0usize), (accent, 32, 65)];
        let nearest = |px: &[u8]| {
            let mut best = (f32::MAX, 0u8);
            for (to, steps, first) in ramps {
                let d: [f32; 3] = std::array::from_fn(|i| to[i] as f32 - bg[i] as f32);
                let p: [f32; 3] = std::array::from_fn(|i| px[i] as f32 - bg[i] as f32);
                let len = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                let t = if len > 0.0 { ((p[0] * d[0] + p[1] * d[1] + p[2] * d[2]) / len).clamp(0.0, 1.0) } else { 0.0 };
                let k = (t * steps as f32).round() as usize;
                let q = palette[first + k];
                let dist: f32 = (0..3).map(|i| (q[i] as f32 - px[i] as f32).powi(2)).sum();
                if dist < best.0 {
                    best = (dist, (first + k) as u8);
                }
            }
            best.1
        };
        // Long runs of one colour: remember the last pixel (as one word) and its index.
        let mut last = (u32::MAX, 0u8);
        let indices = rgba
            .chunks_exact(4)
            .map(|px| {
                let word = u32::from_ne_bytes([px[0], px[1], px[2], px[3]]);
                if word != last.0 {
                    last = (word, nearest(px));
                }
                last.1
            })
            .collect();
        (palette.concat(), indices)
    }
}

/// The parse options with the embedded fonts, made once.
fn options() -> &'static resvg::usvg::Options<'static> {
    static OPTIONS: OnceLock<resvg::usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        resvg::usvg::Options { fontdb: Arc::new(db), font_family: FAMILY.into(), ..Default::default() }
    })
}

/// The width of `text` at `size` pixels, from the font's advance widths
/// (kerning only narrows it, so text measured to fit does fit).
fn width(text: &str, bold: bool, size: f32) -> f32 {
    text.chars().map(|c| advance(c, bold, size)).sum()
}

/// The advance width of one character at `size` pixels (half an em for a
/// character the font lacks).
fn advance(c: char, bold: bool, size: f32) -> f32 {
    static FACES: OnceLock<Option<(ttf_parser::Face<'static>, ttf_parser::Face<'static>)>> = OnceLock::new();
    let Some((regular, bold_face)) =
        FACES.get_or_init(|| Some((ttf_parser::Face::parse(REGULAR, 0).ok()?, ttf_parser::Face::parse(BOLD, 0).ok()?)))
    else {
        return size * 0.6;
    };
    let face = if bold { bold_face } else { regular };
    let em = face.units_per_em() as f32;
    let units = face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)).map_or(em / 2.0, f32::from);
    units * size / em
}

/// The headline's font size and lines: 64 px on up to three lines, else
/// 52 px on up to four, the last cut with an ellipsis if it still does
/// not fit.
fn fit_headline(text: &str) -> (f32, Vec<String>) {
    for (size, max) in [(64.0, 3), (52.0, 4)] {
        let lines = wrap(text, size);
        if lines.len() <= max {
            return (size, lines);
        }
    }
    let mut lines = wrap(text, 52.0);
    let rest = lines.split_off(4).join(" ");
    let last = format!("{} {rest}", lines.pop().unwrap_or_default());
    lines.push(cut(&last, true, 52.0));
    (52.0, lines)
}

/// Greedy word wrap of bold text at `size` to the text width. A word too
/// long for a line gets a line of its own (and is cut when drawn).
fn wrap(text: &str, size: f32) -> Vec<String> {
    let space = advance(' ', true, size);
    let mut lines: Vec<String> = Vec::new();
    let (mut line, mut line_width) = (String::new(), 0.0);
    for word in text.split_whitespace() {
        let w = width(word, true, size);
        if line.is_empty() {
            (line, line_width) = (word.to_string(), w);
        } else if line_width + space + w <= TEXT_WIDTH {
            line.push(' ');
            line.push_str(word);
            line_width += space + w;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
            line_width = w;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| cut(&l, true, size)).collect()
}

/// `text` on one line of the text width, cut at a character with `…` when
/// it is too long.
fn cut(text: &str, bold: bool, size: f32) -> String {
    if width(text, bold, size) <= TEXT_WIDTH {
        return text.to_string();
    }
    let room = TEXT_WIDTH - advance('…', bold, size);
    let (mut out, mut used) = (String::new(), 0.0);
    for c in text.chars() {
        used += advance(c, bold, size);
        if used > room {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(headline: &str) -> Card {
        Card {
            kicker: "Harborline Support".into(),
            headline: headline.into(),
            footer: "Ada Okafor · Reporting Analyst".into(),
            background: "#14532d".into(),
            text: "#ffffff".into(),
            accent: "#f59e0b".into(),
        }
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_the_same_every_time() {
        let c = card("Statistics degree, real-time seat, dashboard career");
        let png = c.png().unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, right after the chunk header.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1200);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 630);
        assert_eq!(png, c.png().unwrap(), "deterministic");
    }

    #[test]
    fn long_headlines_wrap_and_are_cut_to_fit() {
        let long = "word ".repeat(80);
        let (size, lines) = fit_headline(&long);
        assert_eq!((size, lines.len()), (52.0, 4));
        assert!(lines[3].ends_with('…'));
        for l in &lines {
            assert!(width(l, true, size) <= TEXT_WIDTH, "{l}");
        }
        let (size, lines) = fit_headline("Short and sweet");
        assert_eq!((size, lines.len()), (64.0, 1));
        let one_word = "x".repeat(200);
        assert!(cut(&one_word, true, 64.0).ends_with('…'));
    }

    #[test]
    fn text_is_escaped_and_the_name_follows_what_it_shows() {
        let c = card("<script>alert(1)</script> & more");
        let svg = c.svg();
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
        assert!(roxmltree_free_check(&svg));
        let a = c.path("stories", "ana");
        assert!(a.starts_with("og/stories/ana.") && a.ends_with(".png"));
        assert_eq!(a, card("<script>alert(1)</script> & more").path("stories", "ana"));
        assert_ne!(a, card("Another headline").path("stories", "ana"));
    }

    /// The SVG parses (usvg is an XML parser too).
    fn roxmltree_free_check(svg: &str) -> bool {
        resvg::usvg::Tree::from_str(svg, options()).is_ok()
    }
}
