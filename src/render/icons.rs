//! The favicon and the apple-touch icon of every page, so browsers stop
//! asking for a `/favicon.ico` that is not there.
//!
//! - `[brand] favicon` (SVG, PNG, GIF, WebP, JPEG or ICO under `static/`) is
//!   linked as it is, with its type.
//! - Without it, a roughly square logo (aspect ratio at most 1.25) is the
//!   icon: an SVG logo is linked as it is (`type="image/svg+xml"`).
//! - Otherwise (no logo, or a wordmark) the icon is a monogram: the
//!   company's first letter in the readable text colour on the primary
//!   colour, in a rounded square, as a small SVG (`favicon.<hash>.svg`; the
//!   letter is the embedded DejaVu Sans Bold outline, so it needs no font).
//!
//! The PNGs (a 32×32 icon and the 180×180 apple-touch icon) are resized
//! from the raster favicon or the square raster logo (fitted into the
//! square on transparency), else drawn as the monogram by the share-card
//! machinery (tiny-skia and the embedded font). The apple-touch icon has
//! no rounded corners and no transparency: iOS rounds it itself and shows
//! transparent corners black. `favicon.ico` (the 32×32 PNG in an ICO, a
//! few hundred bytes) is written too unless the site's static files have
//! one: feed readers and some crawlers ask the host's root for it without
//! reading the page. All are cached and named like share cards.

use super::share::{self, Art, Image};
use super::{Content, Output};
use crate::media::{cache, derive, Use};
use crate::model::Site;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

/// Part of every icon's hash (see `share`'s `DRAWING`).
const DRAWING: &str = "icon-v1";
/// A logo at most this much wider than tall (or taller than wide) is
/// square enough to be the icon.
const SQUARE_ENOUGH: f64 = 1.25;
/// The monogram's corner radius, in parts of its size.
const RADIUS: f32 = 0.22;
/// The letter's size, in parts of the icon's.
const LETTER: f32 = 0.64;

/// What an icon file is drawn from.
#[derive(Debug, Clone, PartialEq)]
pub enum Icon {
    /// The company's first letter (none: only the square) in `text` on
    /// `background`, `size` px square, its corners rounded on transparency
    /// unless `square`.
    Monogram { letter: Option<char>, background: String, text: String, size: u32, square: bool },
    /// A raster image fitted into a `size` px square, centred on transparency.
    Raster { file: PathBuf, source_hash: String, size: u32, max_pixels: u64 },
    /// `favicon.ico`: the drawn icon as the one image of an ICO.
    Ico(Box<Icon>),
}

impl Icon {
    pub fn hash(&self) -> String {
        let text = match self {
            Icon::Monogram { letter, background, text, size, square } => {
                format!("monogram {letter:?} {background} {text} {size} {square}")
            }
            Icon::Raster { source_hash, size, .. } => format!("raster {source_hash} {size}"),
            Icon::Ico(inner) => format!("ico {}", inner.hash()),
        };
        cache::hash(&[DRAWING.as_bytes(), text.as_bytes()])
    }

    fn size(&self) -> u32 {
        match self {
            Icon::Monogram { size, .. } | Icon::Raster { size, .. } => *size,
            Icon::Ico(inner) => inner.size(),
        }
    }

    /// The icon's PNG (an ICO for [`Icon::Ico`]).
    pub fn draw(&self) -> Result<Vec<u8>, String> {
        match self {
            Icon::Monogram { letter, background, text, size, square } => {
                monogram_png(*letter, background, text, *size, *square)
            }
            Icon::Raster { file, size, max_pixels, .. } => {
                let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
                fitted_png(&derive::decode(&bytes, *max_pixels, 1)?, *size)
            }
            Icon::Ico(inner) => Ok(ico(&inner.draw()?, inner.size())),
        }
    }
}

/// One `<link>` of the page's head.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IconLink {
    pub rel: &'static str,
    pub href: String,
    #[serde(rename = "type")]
    pub mime: &'static str,
    /// `32x32`, or "" when the file says.
    pub sizes: String,
}

/// The site's icons: the head's links and the files to write.
pub struct Icons {
    pub links: Vec<IconLink>,
    pub files: Vec<Output>,
    /// The apple-touch icon's site path (180×180 PNG).
    pub touch: String,
}

/// The MIME type of an icon file by its extension.
fn mime_of(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase().as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "",
    }
}

/// The company's (else the site title's) first letter or digit that the
/// embedded font has, upper-cased.
pub fn monogram_letter(site: &Site) -> Option<char> {
    let c = &site.config;
    let (_, bold) = share::faces()?;
    c.brand
        .company
        .chars()
        .chain(c.title.chars())
        .filter(|ch| ch.is_alphanumeric())
        .map(|ch| ch.to_uppercase().next().unwrap_or(ch))
        .find(|&ch| bold.glyph_index(ch).is_some())
}

/// The icons of `site` (see the module's doc).
pub fn icons(site: &Site) -> Icons {
    let c = &site.config;
    let link = |p: &str| c.base.link(p.trim_start_matches('/'));
    let (background, text) = super::pages::brand_colours(site);
    let letter = monogram_letter(site);
    let monogram = |size: u32, square: bool| Icon::Monogram {
        letter,
        background: background.clone(),
        text: text.clone(),
        size,
        square,
    };
    let static_file = |p: &str| site.root.join("static").join(p.trim_start_matches('/'));
    let favicon = c.brand.favicon.as_ref().map(|f| f.value.trim_start_matches('/').to_string());
    let logo = c.brand.logo.as_ref().map(|l| l.value.trim_start_matches('/').to_string());
    let square_logo = logo.as_ref().and_then(|l| site.media.picture(l, Use::Logo).map(|p| (l, p))).filter(|(_, p)| {
        let (w, h) = (f64::from(p.width.max(1)), f64::from(p.height.max(1)));
        w.max(h) / w.min(h) <= SQUARE_ENOUGH
    });
    // The raster the PNGs are resized from: a raster favicon (hashed here:
    // the image plan does not read it), else a square raster logo.
    let raster_favicon = favicon.as_ref().filter(|f| crate::media::is_raster(f)).and_then(|f| {
        let bytes = std::fs::read(static_file(f)).ok()?;
        derive::probe(&bytes).ok()?;
        Some((static_file(f), cache::hash(&[b"favicon", &bytes])))
    });
    let raster = raster_favicon.or_else(|| {
        let (l, _) = square_logo.as_ref().filter(|(_, p)| !p.svg)?;
        Some((static_file(l), site.media.source_hash(l)?.to_string()))
    });
    let png = |size: u32, square: bool| match &raster {
        Some((file, hash)) => {
            Icon::Raster { file: file.clone(), source_hash: hash.clone(), size, max_pixels: site.media.max_pixels() }
        }
        None => monogram(size, square),
    };
    let cached = site.media.cache();
    let image = |icon: Icon| Image { hash: icon.hash(), art: Art::Icon(icon), ext: "png", cache: cached.cloned() };
    let mut links = Vec::new();
    let mut files = Vec::new();
    let drawn = |path: String, img: Image| Output { path, content: Content::Drawn(Arc::new(img)) };

    let small = image(png(32, false));
    let small_path = format!("favicon-32.{}.png", &small.hash[..10]);
    links.push(IconLink { rel: "icon", href: link(&small_path), mime: "image/png", sizes: "32x32".into() });
    let mut ico = image(Icon::Ico(Box::new(png(32, false))));
    ico.ext = "ico";
    if !site.static_files.iter().any(|f| f == "favicon.ico") {
        files.push(drawn("favicon.ico".into(), ico));
    }
    files.push(drawn(small_path, small));
    match (&favicon, &square_logo) {
        (Some(f), _) => links.push(IconLink { rel: "icon", href: link(f), mime: mime_of(f), sizes: String::new() }),
        (None, Some((l, p))) if p.svg => {
            links.push(IconLink { rel: "icon", href: link(l), mime: "image/svg+xml", sizes: String::new() })
        }
        (None, Some(_)) => {}
        (None, None) => {
            let svg = monogram_svg(letter, &background, &text);
            let path = format!("favicon.{}.svg", &cache::hash(&[DRAWING.as_bytes(), svg.as_bytes()])[..10]);
            links.push(IconLink { rel: "icon", href: link(&path), mime: "image/svg+xml", sizes: String::new() });
            files.push(Output { path, content: Content::Bytes(svg.into_bytes().into()) });
        }
    }
    let touch = image(png(180, true));
    let touch_path = format!("apple-touch-icon.{}.png", &touch.hash[..10]);
    links.push(IconLink {
        rel: "apple-touch-icon",
        href: link(&touch_path),
        mime: "image/png",
        sizes: "180x180".into(),
    });
    files.push(drawn(touch_path.clone(), touch));
    Icons { links, files, touch: touch_path }
}

/// The letter's outline at `size` px, centred in a `box_` px square.
fn centred_letter(letter: char, box_: f32) -> Option<tiny_skia::Path> {
    let path = share::glyph_outline(letter, true, box_ * LETTER)?;
    let b = path.bounds();
    let dx = (box_ - b.width()) / 2.0 - b.left();
    let dy = (box_ - b.height()) / 2.0 - b.top();
    path.transform(tiny_skia::Transform::from_translate(dx, dy))
}

fn rounded_square(size: f32, radius: f32) -> Option<tiny_skia::Path> {
    let mut pb = tiny_skia::PathBuilder::new();
    let (r, s) = (radius, size);
    // Cubic corners (0.5523: a circle's control-point distance).
    let k = r * (1.0 - 0.552_284_8);
    pb.move_to(r, 0.0);
    pb.line_to(s - r, 0.0);
    pb.cubic_to(s - k, 0.0, s, k, s, r);
    pb.line_to(s, s - r);
    pb.cubic_to(s, s - k, s - k, s, s - r, s);
    pb.line_to(r, s);
    pb.cubic_to(k, s, 0.0, s - k, 0.0, s - r);
    pb.line_to(0.0, r);
    pb.cubic_to(0.0, k, k, 0.0, r, 0.0);
    pb.close();
    pb.finish()
}

/// The monogram as a 64-unit SVG: the rounded square and the letter's
/// outline as a path (no font needed to show it).
pub fn monogram_svg(letter: Option<char>, background: &str, text: &str) -> String {
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\"><rect width=\"64\" height=\"64\" rx=\"{}\" fill=\"{background}\"/>",
        64.0 * RADIUS
    );
    if let Some(path) = letter.and_then(|l| centred_letter(l, 64.0)) {
        svg.push_str(&format!("<path fill=\"{text}\" d=\"{}\"/>", path_data(&path)));
    }
    svg.push_str("</svg>\n");
    svg
}

/// SVG path data of a tiny-skia path, at a hundredth of a unit.
fn path_data(path: &tiny_skia::Path) -> String {
    use tiny_skia::PathSegment;
    let n = |v: f32| {
        let s = format!("{:.2}", v);
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" {
            "0".to_string()
        } else {
            s.to_string()
        }
    };
    let mut d = String::new();
    for seg in path.segments() {
        match seg {
            PathSegment::MoveTo(p) => d.push_str(&format!("M{} {}", n(p.x), n(p.y))),
            PathSegment::LineTo(p) => d.push_str(&format!("L{} {}", n(p.x), n(p.y))),
            PathSegment::QuadTo(a, p) => d.push_str(&format!("Q{} {} {} {}", n(a.x), n(a.y), n(p.x), n(p.y))),
            PathSegment::CubicTo(a, b, p) => {
                d.push_str(&format!("C{} {} {} {} {} {}", n(a.x), n(a.y), n(b.x), n(b.y), n(p.x), n(p.y)))
            }
            PathSegment::Close => d.push('Z'),
        }
    }
    d
}

/// The monogram drawn as an RGBA PNG of `size` px.
fn monogram_png(
    letter: Option<char>,
    background: &str,
    text: &str,
    size: u32,
    square: bool,
) -> Result<Vec<u8>, String> {
    use tiny_skia::{FillRule, Paint, Pixmap, Transform};
    let mut pm = Pixmap::new(size, size).ok_or("an icon of no pixels")?;
    let paint = |hex: &str| {
        let [r, g, b] = crate::color::rgb(hex);
        let mut p = Paint::default();
        p.set_color_rgba8(r, g, b, 255);
        p.anti_alias = true;
        p
    };
    let s = size as f32;
    let shape = if square {
        tiny_skia::Rect::from_xywh(0.0, 0.0, s, s).map(tiny_skia::PathBuilder::from_rect)
    } else {
        rounded_square(s, s * RADIUS)
    };
    if let Some(shape) = shape {
        pm.fill_path(&shape, &paint(background), FillRule::Winding, Transform::identity(), None);
    }
    if let Some(glyph) = letter.and_then(|l| centred_letter(l, s)) {
        pm.fill_path(&glyph, &paint(text), FillRule::Winding, Transform::identity(), None);
    }
    let rgba: Vec<u8> = pm
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    rgba_png(&rgba, size, size)
}

/// `src` scaled to fit a `size` px square (never cropped), centred on
/// transparency.
fn fitted_png(src: &derive::Pixels, size: u32) -> Result<Vec<u8>, String> {
    let (w, h) = (f64::from(src.width), f64::from(src.height));
    let scale = f64::from(size) / w.max(h);
    let (fw, fh) = (((w * scale).round() as u32).clamp(1, size), ((h * scale).round() as u32).clamp(1, size));
    let rect = derive::Rect { left: 0, top: 0, width: src.width, height: src.height };
    let fitted = derive::resize(src, rect, fw, fh)?;
    let channels = if fitted.alpha { 4 } else { 3 };
    let (x0, y0) = ((size - fw) / 2, (size - fh) / 2);
    let mut rgba = vec![0u8; (size * size * 4) as usize];
    for y in 0..fh {
        for x in 0..fw {
            let from = ((y * fw + x) * channels) as usize;
            let to = (((y0 + y) * size + x0 + x) * 4) as usize;
            rgba[to..to + 3].copy_from_slice(&fitted.data[from..from + 3]);
            rgba[to + 3] = if fitted.alpha { fitted.data[from + 3] } else { 255 };
        }
    }
    rgba_png(&rgba, size, size)
}

fn rgba_png(rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Best);
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(rgba).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// A PNG as the one image of an ICO file (Windows Vista and every browser
/// read PNG inside ICO).
fn ico(png: &[u8], size: u32) -> Vec<u8> {
    let side = if size >= 256 { 0 } else { size as u8 };
    let mut out = Vec::with_capacity(22 + png.len());
    out.extend_from_slice(&[0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&[side, side, 0, 0]);
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&32u16.to_le_bytes());
    out.extend_from_slice(&(png.len() as u32).to_le_bytes());
    out.extend_from_slice(&22u32.to_le_bytes());
    out.extend_from_slice(png);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png: &[u8]) -> image::RgbaImage {
        image::load_from_memory_with_format(png, image::ImageFormat::Png).unwrap().into_rgba8()
    }

    #[test]
    fn the_monogram_is_the_letter_on_the_brand_colour() {
        let png = monogram_png(Some('H'), "#14532d", "#ffffff", 180, true).unwrap();
        let img = decode(&png);
        assert_eq!(img.dimensions(), (180, 180));
        assert_eq!(img.get_pixel(2, 2).0, [0x14, 0x53, 0x2d, 255], "square corners for the touch icon");
        let white = img.pixels().filter(|p| p.0 == [255, 255, 255, 255]).count();
        assert!(white > 1500, "the letter is drawn: {white}");
        let rounded = decode(&monogram_png(Some('H'), "#14532d", "#ffffff", 32, false).unwrap());
        assert_eq!(rounded.dimensions(), (32, 32));
        assert_eq!(rounded.get_pixel(0, 0).0[3], 0, "rounded corners are transparent");
        let svg = monogram_svg(Some('H'), "#14532d", "#ffffff");
        assert!(svg.starts_with("<svg") && svg.contains("<path fill=\"#ffffff\" d=\"M"), "{svg}");
        assert!(roxmltree::Document::parse(&svg).is_ok());
    }

    #[test]
    fn a_wide_image_is_fitted_not_cropped() {
        let src = derive::Pixels { width: 100, height: 50, alpha: false, data: vec![200; 100 * 50 * 3], shrink: 1 };
        let img = decode(&fitted_png(&src, 32).unwrap());
        assert_eq!(img.dimensions(), (32, 32));
        assert_eq!(img.get_pixel(16, 0).0[3], 0, "transparent above");
        assert_eq!(img.get_pixel(16, 16).0, [200, 200, 200, 255]);
    }

    #[test]
    fn an_ico_holds_the_png() {
        let png = monogram_png(Some('A'), "#000000", "#ffffff", 32, false).unwrap();
        let ico = ico(&png, 32);
        assert_eq!(&ico[..6], &[0, 0, 1, 0, 1, 0]);
        assert_eq!((ico[6], ico[7]), (32, 32));
        assert_eq!(u32::from_le_bytes(ico[14..18].try_into().unwrap()) as usize, png.len());
        assert_eq!(&ico[22..], &png[..]);
    }
}
