//! Share cards: the 1200×630 images social networks show for a page, in
//! the site's brand colours. A story with a raster photo gets a JPEG of
//! the photo cropped around its focal point beside the company, the
//! headline, the name and the role; a story without one, every role and
//! the site itself (for every other page) get a drawn PNG: the company, a
//! headline, and who or what it is about. Drawn in-process with DejaVu
//! Sans compiled into the binary (no system fonts), so a card is the same
//! bytes on every machine. The favicons (`super::icons`) are made by the
//! same machinery.
//!
//! A card is drawn straight into palette indices: its few shapes and its
//! glyphs are filled once by tiny-skia (resvg's rasteriser) as coverage
//! masks and pasted. A site without photos draws a card per story, so this
//! is on the path of a first build (docs/performance.md has the figures).
//!
//! A card's file name carries a hash of what it shows
//! (`og/stories/ana.1a2b3c4d5e.png`): social networks cache images by URL,
//! so an edited card gets a new one. The same hash names the card in the
//! image cache (`media::cache`, kind `og`): a card is drawn once, then
//! linked (or copied) from the cache into every output that shows it, so
//! a build with the cache kept (a CI caching `.storypath/cache`, a rebuild
//! on a laptop) draws none. A card is drawn only when it is written or
//! served and the cache lacks it ([`Image`], [`super::Content::Drawn`]).

mod encode;

use crate::media::{cache::Cache, derive};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// Part of every card's hash: a card is drawn from its fields by this
/// file's code, so a change to how cards are drawn must change this, or
/// builds would reuse the old drawings from the cache.
const DRAWING: &str = "share-card-v6";
/// The cache's kind for share cards and icons.
const KIND: &str = "og";

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Left margin of the text.
const LEFT: f32 = 80.0;
/// Bytes a row of a card, two pixels a byte.
const STRIDE: usize = WIDTH as usize / 2;
const _: () = assert!(WIDTH % 2 == 0);
/// Where a photo card's photo starts: it takes the right 500 px (42%).
pub const PHOTO_LEFT: u32 = 700;
/// JPEG quality of photo cards: text edges stay clean at 4:4:4.
const PHOTO_QUALITY: u8 = 86;

/// What a card shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Card {
    /// Above the headline: the company or site.
    pub kicker: String,
    pub headline: String,
    /// Below it: the person and role (`Name · Role`), or the role's track
    /// and level.
    pub footer: String,
    pub background: String,
    pub text: String,
    pub accent: String,
}

/// A story's card made from its photo.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoCard {
    pub card: Card,
    /// The image pipeline's crop of the photo for the card, in the cache
    /// (`media::Plan::share_crop`): the phone photo is decoded once a
    /// build, for its pictures and this alike.
    pub crop: PathBuf,
    /// The photo's content hash (`media::Plan::source_hash`).
    pub source_hash: String,
    /// The focal point, fractions of the width and height.
    pub focus: (f64, f64),
}

// The card's photo area is the crop the image pipeline makes for it.
const _: () = assert!(WIDTH - PHOTO_LEFT == crate::media::SHARE_CROP.0 && HEIGHT == crate::media::SHARE_CROP.1);

impl Card {
    fn key(&self) -> [&[u8]; 7] {
        let Card { kicker, headline, footer, background, text, accent } = self;
        [
            DRAWING.as_bytes(),
            kicker.as_bytes(),
            headline.as_bytes(),
            footer.as_bytes(),
            background.as_bytes(),
            text.as_bytes(),
            accent.as_bytes(),
        ]
    }

    /// The hash of the fields and [`DRAWING`], not of the drawn pixels:
    /// cards are named for every page that points at one, and drawing them
    /// to name them would cost more than the rest of a build.
    pub fn hash(&self) -> String {
        let mut parts = self.key().to_vec();
        parts.push(b"drawn");
        crate::media::cache::hash(&parts)
    }

    /// `og/<folder>/<name>.<hash>.png`: the file's path under the output.
    pub fn path(&self, folder: &str, name: &str) -> String {
        og_path(folder, name, &self.hash(), "png")
    }

    /// The card drawn as an indexed-colour PNG (see [`palette`]).
    pub fn png(&self) -> Result<Vec<u8>, String> {
        let palette = palette(&self.background, &self.text, &self.accent);
        let mut png = encode::Png::new(STRIDE);
        self.rows(&FULL, |row, above, same| png.row(row, above, same));
        png.finish(WIDTH, HEIGHT, &palette)
    }

    /// Calls `each(row, above, same)` for each of the card's rows, top to
    /// bottom: the row's palette indices packed two to a byte (the first
    /// in the high nibble, as a 4-bit PNG has them; only the left
    /// `PHOTO_LEFT` columns matter for the photo card's panel), the row
    /// above it (zeros above the first), and whether the two are equal.
    ///
    /// A card is made a row at a time, not drawn on a plane of its own:
    /// a row without text is the layout's [`template`] row as it is, and
    /// whether it repeats the row above is known from the template without
    /// comparing; a row with text is the template row with the glyphs that
    /// cross it pasted, in a buffer the size of one row. A whole plane per
    /// card (756,000 pixels) was more to put back and to read again than
    /// the text drawn on it.
    fn rows(&self, layout: &Layout, mut each: impl FnMut(&[u8], &[u8], bool)) {
        let template = template(layout);
        let mut placed = Vec::with_capacity(128);
        self.draw(layout, &mut placed);
        placed.sort_by_key(|p| p.top);
        let zeros = [0u8; STRIDE];
        let plain = |y: usize| &template.px[y * STRIDE..][..STRIDE];
        // Two row buffers, used in turn, so a row with text can be
        // compared with the one before it.
        let mut drawn = [vec![0u8; STRIDE], vec![0u8; STRIDE]];
        // Which buffer the row above is in, if it had text.
        let mut above_drawn: Option<usize> = None;
        let (mut active, mut next) = (Vec::<&Placed>::new(), 0);
        for y in 0..HEIGHT as usize {
            while let Some(p) = placed.get(next).filter(|p| p.top <= y as i32) {
                active.push(p);
                next += 1;
            }
            active.retain(|p| p.top + p.glyph.rows as i32 > y as i32);
            let template_above: &[u8] = if y == 0 { &zeros } else { plain(y - 1) };
            if active.is_empty() {
                let row = plain(y);
                match above_drawn.take() {
                    None => each(row, template_above, template.repeats[y]),
                    Some(k) => each(row, &drawn[k], row == drawn[k].as_slice()),
                }
                continue;
            }
            let k = above_drawn.map_or(0, |k| 1 - k);
            let [first, second] = &mut drawn;
            let (row, other) = if k == 0 { (first, &*second) } else { (second, &*first) };
            row.copy_from_slice(plain(y));
            for p in &active {
                p.paste(row, y);
            }
            let above = if above_drawn.is_some() { other.as_slice() } else { template_above };
            each(row, above, row.as_slice() == above);
            above_drawn = Some(k);
        }
    }

    /// Places the card's text: each glyph and where it goes, into `placed`.
    fn draw(&self, layout: &Layout, placed: &mut Vec<Placed>) {
        let w = layout.text_width;
        let (size, lines) = fit_headline(&self.headline, layout);
        let line_height = size * 1.22;
        let block = line_height * lines.len() as f32;
        // The headline block is centred between the kicker and the footer.
        let (from, to) = layout.block;
        let top = from + (to - from - block) / 2.0 + size;
        let (kicker_size, kicker_at) = layout.kicker;
        draw_text(placed, &cut(&self.kicker, true, kicker_size as f32, w), true, kicker_size, kicker_at);
        for (i, line) in lines.iter().enumerate() {
            draw_text(placed, line, true, size as u16, (top + i as f32 * line_height).round() as i32);
        }
        match layout.footer {
            Footer::One(size, at) => draw_text(placed, &cut(&self.footer, false, size as f32, w), false, size, at),
            Footer::Two((s1, at1), (s2, at2)) => {
                let (first, second) = self.footer.split_once(" · ").unwrap_or((&self.footer, ""));
                draw_text(placed, &cut(first, true, s1 as f32, w), true, s1, at1);
                draw_text(placed, &cut(second, false, s2 as f32, w), false, s2, at2);
            }
        }
    }
}

impl PhotoCard {
    pub fn hash(&self) -> String {
        let (fx, fy) = self.focus;
        let focus = format!("{fx:.4} {fy:.4}");
        let mut parts = self.card.key().to_vec();
        // The pipeline's version too: its crop is what the card shows.
        let pipeline = crate::media::PIPELINE.as_bytes();
        parts.extend([b"photo".as_slice(), pipeline, self.source_hash.as_bytes(), focus.as_bytes()]);
        crate::media::cache::hash(&parts)
    }

    /// `og/<folder>/<name>.<hash>.jpg`.
    pub fn path(&self, folder: &str, name: &str) -> String {
        og_path(folder, name, &self.hash(), "jpg")
    }

    /// The card as a JPEG: the brand panel on the left, the photo cropped
    /// around its focal point on the right. Reads the pipeline's crop.
    pub fn jpeg(&self) -> Result<Vec<u8>, String> {
        let bytes = std::fs::read(&self.crop).map_err(|e| format!("{}: {e}", self.crop.display()))?;
        // The crop is small (500×630) and ours: no size limit to apply.
        let src = derive::decode(&bytes, u64::from(WIDTH * HEIGHT), 1)?;
        self.compose(&src)
    }

    /// The card over decoded photo pixels (any size: cropped around the
    /// focus and resampled to the photo area, which leaves the pipeline's
    /// crop as it is).
    pub fn compose(&self, src: &derive::Pixels) -> Result<Vec<u8>, String> {
        let (pw, ph) = (WIDTH - PHOTO_LEFT, HEIGHT);
        let rect = derive::focal_crop(src.width, src.height, pw, ph, self.focus);
        let photo = derive::resize(src, rect, pw, ph)?;
        let c = &self.card;
        let pal = palette(&c.background, &c.text, &c.accent);
        let bg = crate::color::rgb(&c.background);
        let channels = if photo.alpha { 4 } else { 3 };
        let mut rgb = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
        let mut y = 0;
        c.rows(&PANEL, |row, _, _| {
            for i in row[..PHOTO_LEFT as usize / 2].iter().flat_map(|&two| [two >> 4, two & 15]) {
                rgb.extend_from_slice(&pal[3 * i as usize..3 * i as usize + 3]);
            }
            let line = &photo.data[y * pw as usize * channels..][..pw as usize * channels];
            if photo.alpha {
                // Transparency over the card's background.
                for p in line.chunks_exact(4) {
                    let a = u16::from(p[3]);
                    for k in 0..3 {
                        rgb.push(((u16::from(p[k]) * a + u16::from(bg[k]) * (255 - a) + 127) / 255) as u8);
                    }
                }
            } else {
                rgb.extend_from_slice(line);
            }
            y += 1;
        });
        let mut out = Vec::new();
        let mut enc = jpeg_encoder::Encoder::new(&mut out, PHOTO_QUALITY);
        enc.set_optimized_huffman_tables(true);
        enc.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
        enc.encode(&rgb, WIDTH as u16, HEIGHT as u16, jpeg_encoder::ColorType::Rgb)
            .map_err(|e| format!("JPEG: {e}"))?;
        Ok(out)
    }
}

fn og_path(folder: &str, name: &str, hash: &str, ext: &str) -> String {
    let hash = &hash[..10];
    if folder.is_empty() {
        format!("og/{name}.{hash}.{ext}")
    } else {
        format!("og/{folder}/{name}.{hash}.{ext}")
    }
}

/// Where a card's text goes: the whole card, or the panel beside a photo.
struct Layout {
    /// The text's width from [`LEFT`].
    text_width: f32,
    /// Headline sizes with the most lines each may take, tried in turn.
    headline: [(f32, usize); 2],
    /// The headline block is centred between these two heights.
    block: (f32, f32),
    /// The kicker's size and baseline.
    kicker: (u16, i32),
    footer: Footer,
    /// The rule's top, above the footer.
    rule: f32,
    template: &'static OnceLock<Template>,
}

/// The footer: on one line (size, baseline), or split at ` · ` over two
/// (the first bold).
#[derive(Clone, Copy)]
enum Footer {
    One(u16, i32),
    Two((u16, i32), (u16, i32)),
}

static FULL_TEMPLATE: OnceLock<Template> = OnceLock::new();
static PANEL_TEMPLATE: OnceLock<Template> = OnceLock::new();

/// A drawn card: text across the card.
const FULL: Layout = Layout {
    text_width: WIDTH as f32 - LEFT - 80.0,
    headline: [(64.0, 3), (52.0, 4)],
    block: (150.0, 480.0),
    kicker: (34, 110),
    footer: Footer::One(36, 510),
    rule: 545.0,
    template: &FULL_TEMPLATE,
};

/// A photo card's panel: text on the left, beside the photo.
const PANEL: Layout = Layout {
    text_width: PHOTO_LEFT as f32 - LEFT - 56.0,
    headline: [(54.0, 4), (44.0, 5)],
    block: (125.0, 430.0),
    kicker: (30, 100),
    footer: Footer::Two((34, 510), (30, 556)),
    rule: 452.0,
    template: &PANEL_TEMPLATE,
};

/// How many cards (and icons) this process drew: a build with the cache
/// warm draws none (`tests/share_cards.rs`, `examples/bench.rs`).
static DRAWN: AtomicUsize = AtomicUsize::new(0);

pub fn drawn() -> usize {
    DRAWN.load(Ordering::Relaxed)
}

/// What an [`Image`] is drawn from.
#[derive(Debug, Clone)]
pub enum Art {
    Card(Card),
    Photo(PhotoCard),
    Icon(super::icons::Icon),
}

/// A drawn file of the output (a share card or an icon) and where the cache
/// keeps it.
#[derive(Debug, Clone)]
pub struct Image {
    pub art: Art,
    /// Of everything it is drawn from (its cache entry's name).
    pub hash: String,
    pub ext: &'static str,
    pub cache: Option<Cache>,
}

impl Image {
    pub fn card(card: Card, cache: Option<&Cache>) -> Image {
        Image { hash: card.hash(), art: Art::Card(card), ext: "png", cache: cache.cloned() }
    }

    pub fn photo(card: PhotoCard, cache: Option<&Cache>) -> Image {
        Image { hash: card.hash(), art: Art::Photo(card), ext: "jpg", cache: cache.cloned() }
    }

    /// Draws and encodes it (and counts it in [`drawn`]).
    pub fn draw(&self) -> Result<Vec<u8>, String> {
        DRAWN.fetch_add(1, Ordering::Relaxed);
        match &self.art {
            Art::Card(c) => c.png(),
            Art::Photo(p) => p.jpeg(),
            Art::Icon(i) => i.draw(),
        }
    }

    /// Its bytes: the cache's, or drawn now and stored in the cache.
    pub fn bytes(&self) -> std::io::Result<Vec<u8>> {
        if let Some(found) = self.cache.as_ref().and_then(|c| c.get(KIND, &self.hash, self.ext)) {
            if let Ok(b) = std::fs::read(found) {
                return Ok(b);
            }
        }
        let bytes = self.draw().map_err(std::io::Error::other)?;
        if let Some(c) = &self.cache {
            let _ = c.put(KIND, &self.hash, self.ext, &bytes);
        }
        Ok(bytes)
    }

    /// Writes it at `dest` (whose folder exists, or NotFound): linked from
    /// the cache (copied where links fail, as across file systems), else
    /// drawn into `dest` and linked into the cache. A cache that cannot be
    /// written does not fail the build: the file is written anyway.
    pub fn write(&self, dest: &Path) -> std::io::Result<()> {
        if let Some(cache) = &self.cache {
            if let Some(entry) = cache.get(KIND, &self.hash, self.ext) {
                match crate::media::cache::link_or_copy(&entry, dest) {
                    // The entry went (pruned by another build) or the folder is missing.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound && entry.exists() => return Err(e),
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                    Ok(()) => return Ok(()),
                    Err(_) => {}
                }
            }
        }
        // Made before the drawing, so a missing folder (NotFound, which the
        // caller makes and calls again for) costs no drawing.
        let mut file = std::fs::File::create(dest)?;
        let bytes = self.draw().map_err(std::io::Error::other)?;
        std::io::Write::write_all(&mut file, &bytes)?;
        drop(file);
        if let Some(cache) = &self.cache {
            let _ = cache.adopt(KIND, &self.hash, self.ext, dest, &bytes);
        }
        Ok(())
    }
}

/// How many steps the palette has from the background to the text colour
/// (indices `0..=TEXT_STEPS`) and then to the accent (the next
/// `ACCENT_STEPS + 1`). Every pixel of a card is the background blended
/// with one of the two by some coverage, so a card is drawn straight into
/// palette indices: no colour arithmetic per pixel, and 16 colours, so a
/// 4-bit PNG (half the bytes to compress of an 8-bit one, which had 97
/// colours; twelve steps of anti-aliasing read the same at card sizes).
const TEXT_STEPS: u32 = 11;
const ACCENT_STEPS: u32 = 3;
const ACCENT_FIRST: u8 = TEXT_STEPS as u8 + 1;

/// The card's palette: the two ramps of [`TEXT_STEPS`] and [`ACCENT_STEPS`].
pub(super) fn palette(background: &str, text: &str, accent: &str) -> Vec<u8> {
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

/// A layout's card without its text: the background and the accent shapes
/// every card of the layout has, a bar down the left edge and a short
/// rounded rule above the footer.
struct Template {
    /// Packed palette indices, as [`Card::rows`] gives them.
    px: Vec<u8>,
    /// For each row, whether it is equal to the row above (zeros above the
    /// first).
    repeats: Vec<bool>,
}

/// A layout's [`Template`], drawn once.
fn template(layout: &Layout) -> &'static Template {
    use tiny_skia::{FillRule, Mask, PathBuilder, Rect, Transform};
    let y = layout.rule;
    layout.template.get_or_init(|| {
        let mut shapes = Vec::new();
        let mut rule = PathBuilder::new();
        rule.push_circle(LEFT + 4.0, y + 4.0, 4.0);
        shapes.push(rule.finish());
        let mut rule = PathBuilder::new();
        rule.push_circle(LEFT + 92.0, y + 4.0, 4.0);
        shapes.push(rule.finish());
        shapes.extend(
            [(0.0, 0.0, 24.0, HEIGHT as f32), (LEFT + 4.0, y, 88.0, 8.0)]
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
        let indices: Vec<u8> =
            coverage.iter().map(|&c| if c > 0 { ACCENT_FIRST + step(c, ACCENT_STEPS) } else { 0 }).collect();
        let px = pack(&indices, WIDTH as usize, 0);
        let zeros = [0u8; STRIDE];
        let repeats = (0..HEIGHT as usize)
            .map(|y| px[y * STRIDE..][..STRIDE] == *if y == 0 { &zeros[..] } else { &px[(y - 1) * STRIDE..][..STRIDE] })
            .collect();
        Template { px, repeats }
    })
}

/// One glyph at one size and quarter-pixel offset, as the text ramp's
/// palette indices of its coverage, with where its top-left pixel sits
/// from the pen on the baseline. Packed two to a byte twice over: `packed[0]`
/// for a glyph whose first column falls on a high nibble (an even x),
/// `packed[1]` shifted one pixel for an odd x; each row `bytes` long.
struct Glyph {
    left: i32,
    top: i32,
    rows: usize,
    bytes: [usize; 2],
    packed: [Vec<u8>; 2],
}

/// Which glyph drawing: bold or regular, size in pixels, glyph id and the
/// pen's quarter-pixel offset.
type GlyphKey = (bool, u16, u16, u8);

/// `text` in the text colour on one line from [`LEFT`], on `baseline`,
/// each glyph's pen advanced as [`advance`] measures it (so text measured
/// to fit is drawn as measured; no kerning). Glyphs are rasterised once
/// per build and key, and placed as coverage.
fn draw_text(placed: &mut Vec<Placed>, text: &str, bold: bool, size: u16, baseline: i32) {
    let mut pen = LEFT;
    for c in text.chars() {
        if let Some((id, _)) = metrics(c, bold) {
            let whole = pen.floor();
            let quarter = ((pen - whole) * 4.0).round() as u8;
            let g = glyph((bold, size, id, quarter));
            let (x, y) = (whole as i32 + g.left, baseline + g.top);
            placed.extend(Placed::new(g, x, y));
        }
        pen += advance(c, bold, size as f32);
    }
}

/// A glyph placed on a card, and the part of each of its rows that falls
/// on the card's width.
struct Placed {
    glyph: Arc<Glyph>,
    /// The card row of its first row (above the card when negative).
    top: i32,
    /// Its packing for the column it starts on (even or odd, see [`Glyph`]).
    phase: usize,
    /// The bytes of each of its rows that fall on the card, and the card
    /// row's byte the first of them goes on (whole bytes: the card's width
    /// is even).
    from: usize,
    to: usize,
    at: usize,
}

impl Placed {
    /// The glyph with its top-left pixel at `x`, `y`; None when none of it
    /// falls on the card's width.
    fn new(glyph: Arc<Glyph>, x: i32, y: i32) -> Option<Placed> {
        if glyph.rows == 0 {
            return None;
        }
        let phase = (x & 1) as usize;
        let width = glyph.bytes[phase];
        let first = x.div_euclid(2);
        let from = (-first).clamp(0, width as i32) as usize;
        let to = (STRIDE as i32 - first).clamp(0, width as i32) as usize;
        let at = (first + from as i32).max(0) as usize;
        (from < to).then_some(Placed { glyph, top: y, phase, from, to, at })
    }

    /// Pastes its row that falls on card row `y` (which it crosses). Where
    /// glyphs overlap, the stronger coverage wins, and so does the accent
    /// over text (its indices are higher): one `max` a pixel, each nibble
    /// of a byte on its own, which the compiler vectorises (a branch per
    /// pixel took most of a card's drawing).
    fn paste(&self, row: &mut [u8], y: usize) {
        let g = &self.glyph;
        let width = g.bytes[self.phase];
        let line = &g.packed[self.phase][(y as i32 - self.top) as usize * width..][self.from..self.to];
        for (p, &c) in row[self.at..self.at + line.len()].iter_mut().zip(line) {
            *p = (*p & 0xf0).max(c & 0xf0) | (*p & 0x0f).max(c & 0x0f);
        }
    }
}

/// Rows of `width` palette indices (each under 16) packed two to a byte,
/// the first in the high nibble, as a 4-bit PNG has them; with `phase` 1
/// each row starts one pixel in (a glyph pasted at an odd column). Each
/// packed row is `(width + phase).div_ceil(2)` bytes.
fn pack(indices: &[u8], width: usize, phase: usize) -> Vec<u8> {
    let bytes = (width + phase).div_ceil(2);
    let mut packed = vec![0u8; bytes * (indices.len() / width.max(1))];
    for (line, out) in indices.chunks_exact(width.max(1)).zip(packed.chunks_exact_mut(bytes.max(1))) {
        for (x, &c) in line.iter().enumerate() {
            let at = x + phase;
            out[at / 2] |= if at % 2 == 0 { c << 4 } else { c };
        }
    }
    packed
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
    let empty = Glyph { left: 0, top: 0, rows: 0, bytes: [0; 2], packed: [Vec::new(), Vec::new()] };
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
    let steps: Vec<u8> = mask.data().iter().map(|&c| step(c, TEXT_STEPS)).collect();
    let w = w as usize;
    let bytes = [0, 1].map(|phase| (w + phase).div_ceil(2));
    Glyph { left, top, rows: h as usize, bytes, packed: [pack(&steps, w, 0), pack(&steps, w, 1)] }
}

/// A character's outline at `size` px, y down, from the pen at the origin
/// on the baseline (the monogram icons).
pub(super) fn glyph_outline(c: char, bold: bool, size: f32) -> Option<tiny_skia::Path> {
    let face = faces().map(|f| if bold { &f.1 } else { &f.0 })?;
    let id = face.glyph_index(c)?;
    let scale = size / face.units_per_em() as f32;
    let mut outline = Outline { path: tiny_skia::PathBuilder::new(), scale, dx: 0.0 };
    face.outline_glyph(id, &mut outline)?;
    outline.path.finish()
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
pub(super) fn faces() -> Option<&'static (ttf_parser::Face<'static>, ttf_parser::Face<'static>)> {
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
    match metrics(c, bold) {
        Some((_, em_part)) => em_part * size,
        None => size / 2.0,
    }
}

/// A character's glyph id and advance (in ems), or None when the font lacks
/// it. Looked up once per character for printable ASCII (the font's
/// character map is a search each time, a third of a card's drawing).
fn metrics(c: char, bold: bool) -> Option<(u16, f32)> {
    type Table = [Option<(u16, f32)>; 128];
    static TABLES: OnceLock<[Table; 2]> = OnceLock::new();
    let lookup = |c: char, bold: bool| -> Option<(u16, f32)> {
        let (regular, bold_face) = faces()?;
        let face = if bold { bold_face } else { regular };
        let id = face.glyph_index(c)?;
        let em = face.units_per_em() as f32;
        Some((id.0, face.glyph_hor_advance(id).map_or(em / 2.0, f32::from) / em))
    };
    if (c as u32) < 128 {
        let tables = TABLES.get_or_init(|| {
            [false, true].map(|b| std::array::from_fn(|i| char::from_u32(i as u32).and_then(|c| lookup(c, b))))
        });
        tables[usize::from(bold)][c as usize]
    } else {
        lookup(c, bold)
    }
}

/// The headline's font size and lines: the layout's first size (64 px on
/// up to three lines on a drawn card), else its second (52 px on up to
/// four), the last cut with an ellipsis if it still does not fit.
fn fit_headline(text: &str, layout: &Layout) -> (f32, Vec<String>) {
    let w = layout.text_width;
    for (size, max) in layout.headline {
        let lines = wrap(text, size, w);
        if lines.len() <= max {
            return (size, lines);
        }
    }
    let (size, max) = layout.headline[1];
    let mut lines = wrap(text, size, w);
    let rest = lines.split_off(max).join(" ");
    let last = format!("{} {rest}", lines.pop().unwrap_or_default());
    lines.push(cut(&last, true, size, w));
    (size, lines)
}

/// Greedy word wrap of bold text at `size` to the text width. A word too
/// long for a line gets a line of its own (and is cut when drawn).
fn wrap(text: &str, size: f32, text_width: f32) -> Vec<String> {
    let space = advance(' ', true, size);
    let mut lines: Vec<String> = Vec::new();
    let (mut line, mut line_width) = (String::new(), 0.0);
    for word in text.split_whitespace() {
        let w = width(word, true, size);
        if line.is_empty() {
            (line, line_width) = (word.to_string(), w);
        } else if line_width + space + w <= text_width {
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
    lines.into_iter().map(|l| cut(&l, true, size, text_width)).collect()
}

/// `text` on one line of `text_width`, cut at a character with `…` when
/// it is too long.
fn cut(text: &str, bold: bool, size: f32, text_width: f32) -> String {
    if width(text, bold, size) <= text_width {
        return text.to_string();
    }
    let room = text_width - advance('…', bold, size);
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

/// For `examples/bench.rs`: the mean CPU time (this thread's, in
/// microseconds) of making one card's rows of palette indices and of
/// encoding them as PNG (a whole card less its rows), and its mean size in bytes, over `n` cards like the
/// benchmark's (glyphs rasterised before the clock starts).
#[doc(hidden)]
pub fn card_timings(n: usize) -> (f64, f64, usize) {
    fn cpu() -> f64 {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: a valid pointer to a timespec, for the calling thread's clock.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
    }
    let cards: Vec<Card> = (0..n.max(1))
        .map(|i| Card {
            kicker: "Bench careers".into(),
            headline: format!("Story number {i}"),
            footer: format!("Person {i} · Role {} of track {}", i % 7, i % 8),
            background: "#14532d".into(),
            text: "#ffffff".into(),
            accent: "#f59e0b".into(),
        })
        .collect();
    for c in &cards {
        c.rows(&FULL, |_, _, _| ());
    }
    let (mut draw, mut whole, mut bytes) = (0.0, 0.0, 0);
    for c in &cards {
        let t = cpu();
        c.rows(&FULL, |row, _, _| {
            std::hint::black_box(row);
        });
        let drawn = cpu();
        bytes += c.png().map_or(0, |b| b.len());
        whole += cpu() - drawn;
        draw += drawn - t;
    }
    // The rows are made as they are encoded: encoding is the rest.
    let encode = whole - draw;
    let k = 1e6 / cards.len() as f64;
    (draw * k, encode * k, bytes / cards.len())
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
        let (size, lines) = fit_headline(&long, &FULL);
        assert_eq!((size, lines.len()), (52.0, 4));
        assert!(lines[3].ends_with('…'));
        for l in &lines {
            assert!(width(l, true, size) <= FULL.text_width, "{l}");
        }
        let (size, lines) = fit_headline("Short and sweet", &FULL);
        assert_eq!((size, lines.len()), (64.0, 1));
        let one_word = "x".repeat(200);
        assert!(cut(&one_word, true, 64.0, FULL.text_width).ends_with('…'));
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
        let img = image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap().into_rgb8();
        let colour = |x: usize, y: usize| img.get_pixel(x as u32, y as u32).0;
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

    /// A 1000×500 photo: red on the left half, blue on the right.
    fn two_halves() -> derive::Pixels {
        let (w, h) = (1000u32, 500u32);
        let data = (0..w * h).flat_map(|i| if i % w < w / 2 { [220, 30, 30] } else { [30, 30, 220] }).collect();
        derive::Pixels { width: w, height: h, alpha: false, data, shrink: 1 }
    }

    fn photo_card(focus: (f64, f64)) -> PhotoCard {
        PhotoCard {
            card: card("Statistics degree, real-time seat, dashboard career"),
            crop: PathBuf::new(),
            source_hash: "0".repeat(64),
            focus,
        }
    }

    fn rgb_at(jpeg: &[u8], x: u32, y: u32) -> [u8; 3] {
        let img = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).unwrap().into_rgb8();
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        img.get_pixel(x, y).0
    }

    #[test]
    fn a_photo_card_is_a_1200_by_630_jpeg_with_the_panel_on_the_left() {
        let jpeg = photo_card((0.5, 0.5)).compose(&two_halves()).unwrap();
        assert_eq!(&jpeg[..2], b"\xff\xd8", "JPEG");
        let h = derive::probe(&jpeg).unwrap();
        assert_eq!((h.width, h.height), (1200, 630));
        // The panel's background is the brand colour (JPEG: within a few levels).
        let near = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 12);
        assert!(near(rgb_at(&jpeg, 600, 20), [0x14, 0x53, 0x2d]), "{:?}", rgb_at(&jpeg, 600, 20));
        assert!(near(rgb_at(&jpeg, 10, 300), [0xf5, 0x9e, 0x0b]), "the accent bar");
    }

    #[test]
    fn the_photo_crop_follows_the_focal_point() {
        let red = |p: [u8; 3]| p[0] > 150 && p[2] < 90;
        let blue = |p: [u8; 3]| p[2] > 150 && p[0] < 90;
        let left = photo_card((0.1, 0.5)).compose(&two_halves()).unwrap();
        let right = photo_card((0.9, 0.5)).compose(&two_halves()).unwrap();
        for x in [PHOTO_LEFT + 20, 950, WIDTH - 20] {
            assert!(red(rgb_at(&left, x, 315)), "focus on the left shows the red half at x {x}");
            assert!(blue(rgb_at(&right, x, 315)), "focus on the right shows the blue half at x {x}");
        }
        assert_ne!(photo_card((0.1, 0.5)).hash(), photo_card((0.9, 0.5)).hash(), "the focus is in the name");
        let mut other = photo_card((0.1, 0.5));
        other.source_hash = "1".repeat(64);
        assert_ne!(other.hash(), photo_card((0.1, 0.5)).hash(), "so is the photo's content");
        assert!(photo_card((0.5, 0.5)).path("stories", "ana").ends_with(".jpg"));
    }

    #[test]
    fn a_cached_card_is_linked_not_drawn_again() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("cache"));
        let img = Image::card(card("Drawn once"), Some(&cache));
        let (a, b) = (dir.path().join("a.png"), dir.path().join("b.png"));
        img.write(&a).unwrap();
        let entry = cache.get(KIND, &img.hash, "png").expect("stored in the cache");
        img.write(&b).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        assert_eq!(std::fs::read(&entry).unwrap(), card("Drawn once").png().unwrap());
        // Drawn again, the entry would have been replaced (a new file):
        // both outputs are links of the one entry.
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
            assert_eq!((ino(&a), ino(&b)), (ino(&entry), ino(&entry)));
        }
        assert_eq!(img.bytes().unwrap(), std::fs::read(&b).unwrap());
        // A missing folder is NotFound (the writer makes it and retries).
        let err = img.write(&dir.path().join("no/such/c.png")).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    }
}
