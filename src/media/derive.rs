//! Pixels: a source decoded the right way up, cropped around its focal
//! point, resampled and encoded. Nothing of the source but its pixels
//! reaches an encoder, so no metadata (EXIF, XMP, GPS, ICC, comments) can
//! reach the output: stripping is by construction, not by a filter that
//! could miss a field.

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageReader};
use std::io::Cursor;

/// What a probe tells of a source without decoding its pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// As shown: after the EXIF orientation (a portrait phone photo stored
    /// sideways has its height here as height).
    pub width: u32,
    pub height: u32,
    /// Keeps transparency: PNG fallback rather than JPEG.
    pub alpha: bool,
}

/// Reads a source's size, orientation and colour type from its header.
pub fn probe(bytes: &[u8]) -> Result<Header, String> {
    let reader = reader(bytes)?;
    let mut decoder = reader.into_decoder().map_err(|e| describe(&e))?;
    let (w, h) = decoder.dimensions();
    let turned = decoder.orientation().map(swaps_sides).unwrap_or(false);
    let alpha = decoder.color_type().has_alpha();
    let (width, height) = if turned { (h, w) } else { (w, h) };
    if width == 0 || height == 0 {
        return Err("the image has no pixels".into());
    }
    Ok(Header { width, height, alpha })
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, String> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    match reader.format() {
        Some(
            image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::Gif | image::ImageFormat::WebP,
        ) => Ok(reader),
        Some(f) => Err(format!("{f:?} images are not supported")),
        None => Err("the file is not a JPEG, PNG, GIF or WebP image".into()),
    }
}

fn describe(e: &image::ImageError) -> String {
    let why = e.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
    format!("it cannot be decoded ({why})")
}

fn swaps_sides(o: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

/// A decoded, upright source: RGB or RGBA bytes.
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub data: Vec<u8>,
}

/// Decodes `bytes` and applies the EXIF orientation. `max_pixels` bounds the
/// decoder's memory (checked before decoding by the caller too).
pub fn decode(bytes: &[u8], max_pixels: u64) -> Result<Pixels, String> {
    let mut reader = reader(bytes)?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| describe(&e))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| describe(&e))?;
    img.apply_orientation(orientation);
    let alpha = img.color().has_alpha();
    let (width, height) = (img.width(), img.height());
    let data = if alpha { img.into_rgba8().into_raw() } else { img.into_rgb8().into_raw() };
    Ok(Pixels { width, height, alpha, data })
}

/// A crop of the source, in source pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rect {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

/// The largest crop of a `w`×`h` source with the aspect ratio `aw:ah`,
/// centred on the focal point `(fx, fy)` (fractions of the width and
/// height) as far as the edges allow.
pub fn focal_crop(w: u32, h: u32, aw: u32, ah: u32, (fx, fy): (f64, f64)) -> Rect {
    let (w64, h64) = (u64::from(w), u64::from(h));
    // Compare w/h with aw/ah without floating point.
    if w64 * u64::from(ah) > h64 * u64::from(aw) {
        let cw = ((h64 * u64::from(aw)) / u64::from(ah)).max(1) as u32;
        let left = place(fx, w, cw);
        Rect { left, top: 0, width: cw, height: h }
    } else {
        let ch = ((w64 * u64::from(ah)) / u64::from(aw)).max(1) as u32;
        let top = place(fy, h, ch);
        Rect { left: 0, top, width: w, height: ch }
    }
}

/// Where a span of `inner` starts inside `outer` so that its middle is at
/// `f` of `outer`, kept inside.
fn place(f: f64, outer: u32, inner: u32) -> u32 {
    let centre = f.clamp(0.0, 1.0) * f64::from(outer);
    let start = (centre - f64::from(inner) / 2.0).round().max(0.0) as u32;
    start.min(outer - inner)
}

/// `rect` of `src` resampled to `w`×`h` (Lanczos 3, alpha premultiplied).
pub fn resize(src: &Pixels, rect: Rect, w: u32, h: u32) -> Result<Pixels, String> {
    let kind = if src.alpha { fr::PixelType::U8x4 } else { fr::PixelType::U8x3 };
    let from = fr::images::ImageRef::new(src.width, src.height, &src.data, kind).map_err(|e| e.to_string())?;
    let mut to = fr::images::Image::new(w, h, kind);
    let options = fr::ResizeOptions::new()
        .crop(f64::from(rect.left), f64::from(rect.top), f64::from(rect.width), f64::from(rect.height))
        .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    fr::Resizer::new().resize(&from, &mut to, &options).map_err(|e| e.to_string())?;
    Ok(Pixels { width: w, height: h, alpha: src.alpha, data: to.into_vec() })
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Webp,
    Jpeg,
    Png,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
        }
    }
}

/// Quality of the lossy formats: photos at the sizes a page shows them
/// look the same as the source at these, at a fraction of the bytes.
pub const WEBP_QUALITY: f32 = 78.0;
pub const JPEG_QUALITY: u8 = 82;

/// Encodes pixels. Nothing but the pixels is written.
pub fn encode(p: &Pixels, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Webp => {
            let enc = if p.alpha {
                webp::Encoder::from_rgba(&p.data, p.width, p.height)
            } else {
                webp::Encoder::from_rgb(&p.data, p.width, p.height)
            };
            enc.encode_simple(false, WEBP_QUALITY).map(|m| m.to_vec()).map_err(|e| format!("WebP: {e:?}"))
        }
        Format::Jpeg => {
            let rgb = if p.alpha { flatten(&p.data) } else { p.data.clone() };
            let mut out = Vec::new();
            // Not `set_optimized_huffman_tables`: with jpeg-encoder 0.6 its
            // files decode as a flat green in zune-jpeg (the `image` crate's
            // decoder), so browsers may differ too. Tested below.
            let enc = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
            let (w, h) = (u16::try_from(p.width), u16::try_from(p.height));
            let (Ok(w), Ok(h)) = (w, h) else {
                return Err("too large for JPEG".into());
            };
            enc.encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb).map_err(|e| format!("JPEG: {e}"))?;
            Ok(out)
        }
        Format::Png => {
            let mut out = Vec::new();
            let mut enc = png::Encoder::new(&mut out, p.width, p.height);
            enc.set_color(if p.alpha { png::ColorType::Rgba } else { png::ColorType::Rgb });
            enc.set_depth(png::BitDepth::Eight);
            enc.set_compression(png::Compression::Default);
            let mut w = enc.write_header().map_err(|e| e.to_string())?;
            w.write_image_data(&p.data).map_err(|e| e.to_string())?;
            w.finish().map_err(|e| e.to_string())?;
            Ok(out)
        }
    }
}

/// RGBA over white, as RGB (JPEG has no transparency).
fn flatten(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|px| {
            let a = u16::from(px[3]);
            let over = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
            [over(px[0]), over(px[1]), over(px[2])]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crops_follow_the_focal_point_inside_the_edges() {
        // A landscape 400×200 to a square: 200×200, slid along x.
        assert_eq!(focal_crop(400, 200, 1, 1, (0.5, 0.5)), Rect { left: 100, top: 0, width: 200, height: 200 });
        assert_eq!(focal_crop(400, 200, 1, 1, (0.0, 0.5)), Rect { left: 0, top: 0, width: 200, height: 200 });
        assert_eq!(focal_crop(400, 200, 1, 1, (0.9, 0.5)), Rect { left: 200, top: 0, width: 200, height: 200 });
        // A portrait to 1200:630: full width, slid along y.
        let r = focal_crop(300, 600, 1200, 630, (0.5, 0.2));
        assert_eq!((r.width, r.height), (300, 157));
        assert_eq!(r.top, 42, "120 - 157/2, rounded");
    }

    #[test]
    fn encodes_every_format_without_metadata() {
        let p = Pixels { width: 8, height: 4, alpha: false, data: vec![128; 8 * 4 * 3] };
        for f in [Format::Webp, Format::Jpeg, Format::Png] {
            let bytes = encode(&p, f).unwrap();
            let h = probe(&bytes).unwrap();
            assert_eq!((h.width, h.height), (8, 4), "{f:?}");
            assert!(!bytes.windows(4).any(|w| w == b"Exif"), "{f:?}");
        }
    }

    #[test]
    fn jpeg_fallbacks_keep_their_colours() {
        // Red left, blue right: decoded back, each side keeps its colour.
        let data: Vec<u8> =
            (0..64 * 32).flat_map(|i| if i % 64 < 32 { [220, 30, 30] } else { [30, 30, 220] }).collect();
        let p = Pixels { width: 64, height: 32, alpha: false, data };
        let img = image::load_from_memory(&encode(&p, Format::Jpeg).unwrap()).unwrap().to_rgb8();
        let (l, r) = (img.get_pixel(4, 16).0, img.get_pixel(60, 16).0);
        assert!(l[0] > 180 && l[2] < 80 && r[2] > 180 && r[0] < 80, "{l:?} {r:?}");
    }

    #[test]
    fn garbage_is_a_sentence_not_a_panic() {
        assert!(probe(b"not an image").unwrap_err().contains("not a JPEG"));
        assert!(probe(b"\x89PNG\r\n\x1a\n").is_err());
    }
}
