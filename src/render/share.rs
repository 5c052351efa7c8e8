//! Share cards: the 1200×630 PNG that social networks show for a story (when
//! it has no photo) or a role, in the site's brand colours — the company, a
//! headline, and who or what it is about. Drawn in-process with DejaVu Sans
//! compiled into the binary (no system fonts), so the PNG is the same bytes
//! on every machine.
//!
//! A card is drawn straight into palette indices: its few shapes and its
//! glyphs are filled once by tiny-skia (resvg's rasteriser) as coverage
//! masks and pasted. A site without photos draws a card per story, so this
//! is on the path of a first build; drawing each card as an SVG through
//! resvg took about 6 ms, this about half a millisecond (docs/performance.md).
//!
//! A card's file name carries a hash of what it shows
//! (`og/stories/ana.1a2b3c4d5e.png`): social networks cache images by URL,
//! so an edited card gets a new one, and a build reuses the previous
//! output's file of the same name instead of drawing it again. A card is
//! drawn only when it is written or served ([`super::Content::ShareCard`]).

use std::sync::{Arc, OnceLock};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// Part of every card's hash: the card is drawn from the card's fields by
/// this file's code, so a change to how cards are drawn must change this,
/// or builds would reuse the old drawings.
const DRAWING: &str = "share-card-v2";

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

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
    /// The hash is of the fields and [`DRAWING`], not of the drawn pixels:
    /// cards are named for every page that points at one, and drawing them
    /// to name them would cost more than the rest of a build.
    pub fn path(&self, folder: &str, name: &str) -> String {
        let Card { kicker, headline, footer, background, text, accent } = self;
        let key = [DRAWING, kicker, headline, footer, background, text, accent].join("\n");
        format!("og/{folder}/{name}.{}.png", crate::render::assets::fnv_hex(key.as_bytes()))
    }

    /// The card drawn as an indexed-colour PNG (see [`palette`]).
    pub fn png(&self) -> Result<Vec<u8>, String> {
        let mut px = vec![0u8; (WIDTH * HEIGHT) as usize];
        for &(at, index) in decorations() {
            px[at] = index;
        }
        let (size, lines) = fit_headline(&self.headline);
        let line_height = size * 1.22;
        let block = line_height * lines.len() as f32;
        // The headline block is centred between the kicker and the footer.
        let top = 150.0 + (330.0 - block) / 2.0 + size;
        draw_text(&mut px, &cut(&self.kicker, true, 34.0), true, 34, 110);
        for (i, line) in lines.iter().enumerate() {
            draw_text(&mut px, line, true, size as u16, (top + i as f32 * line_height).round() as i32);
        }
        draw_text(&mut px, &cut(&self.footer, false, 36.0), false, 36, 510);
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(palette(&self.background, &self.text, &self.accent));
        enc.set_compression(png::Compression::Fast);
        enc.set_filter(png::FilterType::Paeth);
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_image_data(&px).map_err(|e| e.to_string())?;
        w.finish().map_err(|e| e.to_string())?;
        Ok(out)
    }
}

/// How many steps the palette has from the background to the text colour
/// (indices `0..=TEXT_STEPS`) and then to the accent (the next
/// `ACCENT_STEPS + 1`). Every pixel of a card is the background blended
/// with one of the two by some coverage, so a card is drawn straight into
/// palette indices: a PNG a fifth the size of RGBA, and no colour
/// arithmetic per pixel.
const TEXT_STEPS: u32 = 64;
const ACCENT_STEPS: u32 = 32;
const ACCENT_FIRST: u8 = TEXT_STEPS as u8 + 1;

/// The card's palette: the two ramps of [`TEXT_STEPS`] and [`ACCENT_STEPS`].
fn palette(background: &str, text: &str, accent: &str) -> Vec<u8> {
    let [bg, fg, accent] = [background, text, accent].map(super::views::rgb);
    let mut palette = Vec::new();
    for (to, steps) in [(fg, TEXT_STEPS), (accent, ACCENT_STEPS)] {
        for k in 0..=steps {
            for i in 0..3 {
                let (from, to) = (bg[i] as f32, to[i] as f32);
                palette.push((from + (to - from) * k as f32 / steps as f32).round() as u8);
            }
        }
    }
    palette
}

/// The step of a ramp of `steps` that coverage `c` (0–255) falls on.
fn step(c: u8, steps: u32) -> u8 {
    ((c as u32 * steps + 127) / 255) as u8
}

/// The accent shapes every card has, as (pixel, palette index): a bar down
/// the left edge and a short rounded rule above the footer. Drawn once.
fn decorations() -> &'static [(usize, u8)] {
    use tiny_skia::{FillRule, Mask, PathBuilder, Rect, Transform};
    static DONE: OnceLock<Vec<(usize, u8)>> = OnceLock::new();
    DONE.get_or_init(|| {
        let mut shapes = Vec::new();
        let mut rule = PathBuilder::new();
        rule.push_circle(LEFT + 4.0, 549.0, 4.0);
        shapes.push(rule.finish());
        let mut rule = PathBuilder::new();
        rule.push_circle(LEFT + 92.0, 549.0, 4.0);
        shapes.push(rule.finish());
        shapes.extend(
            [(0.0, 0.0, 24.0, HEIGHT as f32), (LEFT + 4.0, 545.0, 88.0, 8.0)]
                .map(|(x, y, w, h)| Rect::from_xywh(x, y, w, h).map(PathBuilder::from_rect)),
        );
        let mut coverage = vec![0u8; (WIDTH * HEIGHT) as usize];
        for path in shapes.into_iter().flatten() {
            let Some(mut mask) = Mask::new(WIDTH, HEIGHT) else { continue };
            mask.fill_path(&path, FillRule::Winding, true, Transform::identity());
            for (c, &m) in coverage.iter_mut().zip(mask.data()) {
                *c = (*c).max(m);
            }
        }
        coverage
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(at, &c)| (at, ACCENT_FIRST + step(c, ACCENT_STEPS)))
            .collect()
    })
}

/// One glyph's coverage at one size and quarter-pixel offset, with where
/// its top-left pixel sits from the pen on the baseline.
struct Glyph {
    left: i32,
    top: i32,
    width: usize,
    coverage: Vec<u8>,
}

/// Which glyph drawing: bold or regular, size in pixels, glyph id and the
/// pen's quarter-pixel offset.
type GlyphKey = (bool, u16, u16, u8);

/// `text` in the text colour on one line from [`LEFT`], on `baseline`,
/// each glyph's pen advanced as [`advance`] measures it (so text measured
/// to fit is drawn as measured; no kerning). Glyphs are rasterised once
/// per build and key, and pasted as coverage.
fn draw_text(px: &mut [u8], text: &str, bold: bool, size: u16, baseline: i32) {
    let mut pen = LEFT;
    for c in text.chars() {
        let id = faces().map(|f| if bold { &f.1 } else { &f.0 }).and_then(|f| f.glyph_index(c));
        if let Some(id) = id {
            let whole = pen.floor();
            let quarter = ((pen - whole) * 4.0).round() as u8;
            let g = glyph((bold, size, id.0, quarter));
            paste(px, &g, whole as i32 + g.left, baseline + g.top);
        }
        pen += advance(c, bold, size as f32);
    }
}

/// Pastes a glyph's coverage as steps of the text ramp. Where glyphs
/// overlap, the stronger coverage wins; text never overlaps the accent.
fn paste(px: &mut [u8], g: &Glyph, x0: i32, y0: i32) {
    static STEPS: OnceLock<[u8; 256]> = OnceLock::new();
    let steps = STEPS.get_or_init(|| std::array::from_fn(|c| step(c as u8, TEXT_STEPS)));
    if g.width == 0 {
        return;
    }
    // The glyph's columns that fall on the card.
    let from = (-x0).clamp(0, g.width as i32) as usize;
    let to = (WIDTH as i32 - x0).clamp(0, g.width as i32) as usize;
    for (row, line) in g.coverage.chunks_exact(g.width).enumerate() {
        let y = y0 + row as i32;
        if from >= to || !(0..HEIGHT as i32).contains(&y) {
            continue;
        }
        let start = y as usize * WIDTH as usize + (x0 + from as i32) as usize;
        for (p, &c) in px[start..start + (to - from)].iter_mut().zip(&line[from..to]) {
            if *p < ACCENT_FIRST {
                *p = (*p).max(steps[c as usize]);
            }
        }
    }
}

/// The drawing of a glyph, from the cache or rasterised now.
fn glyph(key: GlyphKey) -> Arc<Glyph> {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static CACHE: OnceLock<Mutex<HashMap<GlyphKey, Arc<Glyph>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(g) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return g;
    }
    let g = Arc::new(rasterise(key));
    if let Ok(mut c) = cache.lock() {
        c.insert(key, Arc::clone(&g));
    }
    g
}

/// A glyph's outline filled with anti-aliasing (tiny-skia, as resvg does).
fn rasterise((bold, size, id, quarter): GlyphKey) -> Glyph {
    use tiny_skia::{FillRule, Mask, PathBuilder, Transform};
    let empty = Glyph { left: 0, top: 0, width: 0, coverage: Vec::new() };
    let Some(face) = faces().map(|f| if bold { &f.1 } else { &f.0 }) else { return empty };
    let scale = size as f32 / face.units_per_em() as f32;
    let mut outline = Outline { path: PathBuilder::new(), scale, dx: quarter as f32 / 4.0 };
    if face.outline_glyph(ttf_parser::GlyphId(id), &mut outline).is_none() {
        return empty;
    }
    let Some(path) = outline.path.finish() else { return empty };
    let b = path.bounds();
    let (left, top) = (b.left().floor() as i32, b.top().floor() as i32);
    let (w, h) = ((b.right().ceil() as i32 - left).max(1) as u32, (b.bottom().ceil() as i32 - top).max(1) as u32);
    let Some(mut mask) = Mask::new(w, h) else { return empty };
    mask.fill_path(&path, FillRule::Winding, true, Transform::from_translate(-left as f32, -top as f32));
    Glyph { left, top, width: w as usize, coverage: mask.data().to_vec() }
}

/// A glyph outline in pixels, y down, from the pen on the baseline.
struct Outline {
    path: tiny_skia::PathBuilder,
    scale: f32,
    dx: f32,
}

impl Outline {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (x * self.scale + self.dx, -y * self.scale)
    }
}

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let ((x1, y1), (x, y)) = (self.at(x1, y1), self.at(x, y));
        self.path.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let ((x1, y1), (x2, y2), (x, y)) = (self.at(x1, y1), self.at(x2, y2), self.at(x, y));
        self.path.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.path.close();
    }
}

/// The embedded faces, regular and bold, parsed once.
fn faces() -> Option<&'static (ttf_parser::Face<'static>, ttf_parser::Face<'static>)> {
    static FACES: OnceLock<Option<(ttf_parser::Face<'static>, ttf_parser::Face<'static>)>> = OnceLock::new();
    FACES
        .get_or_init(|| Some((ttf_parser::Face::parse(REGULAR, 0).ok()?, ttf_parser::Face::parse(BOLD, 0).ok()?)))
        .as_ref()
}

/// The width of `text` at `size` pixels, from the font's advance widths
/// (kerning only narrows it, so text measured to fit does fit).
fn width(text: &str, bold: bool, size: f32) -> f32 {
    text.chars().map(|c| advance(c, bold, size)).sum()
}

/// The advance width of one character at `size` pixels (half an em for a
/// character the font lacks).
fn advance(c: char, bold: bool, size: f32) -> f32 {
    let Some((regular, bold_face)) = faces() else {
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
    fn any_text_draws_and_the_name_follows_what_it_shows() {
        let c = card("<script>alert(1)</script> & more, 漢字 and emoji 🎉 the font lacks");
        assert!(c.png().is_ok());
        let a = c.path("stories", "ana");
        assert!(a.starts_with("og/stories/ana.") && a.ends_with(".png"));
        assert_eq!(a, c.clone().path("stories", "ana"));
        assert_ne!(a, card("Another headline").path("stories", "ana"));
    }

    #[test]
    fn the_card_shows_its_text_in_the_text_colour_and_the_accent() {
        let png = card("Statistics degree, real-time seat, dashboard career").png().unwrap();
        let mut reader = png::Decoder::new(&png[..]).read_info().unwrap();
        let mut px = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut px).unwrap();
        let palette = reader.info().palette.as_deref().unwrap().to_vec();
        let colour = |x: usize, y: usize| {
            let i = px[y * WIDTH as usize + x] as usize;
            [palette[3 * i], palette[3 * i + 1], palette[3 * i + 2]]
        };
        assert_eq!(colour(600, 20), [0x14, 0x53, 0x2d], "background");
        assert_eq!(colour(10, 300), [0xf5, 0x9e, 0x0b], "the accent bar");
        assert_eq!(colour(120, 549), [0xf5, 0x9e, 0x0b], "the rule above the footer");
        // The headline's rows have solid white glyph pixels; the gap above it has none.
        let white = |rows: std::ops::Range<usize>| {
            rows.flat_map(|y| (80..1120).map(move |x| (x, y))).filter(|&(x, y)| colour(x, y) == [255; 3]).count()
        };
        assert!(white(200..420) > 5_000, "headline drawn");
        assert_eq!(white(130..180), 0, "nothing between kicker and headline");
    }
}
