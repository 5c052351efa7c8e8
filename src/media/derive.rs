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

/// The EXIF orientation a source declares (1 to 8), if it declares one.
pub fn orientation(bytes: &[u8]) -> Option<u8> {
    let mut decoder = reader(bytes).ok()?.into_decoder().ok()?;
    decoder.orientation().ok().map(|o| o.to_exif())
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

/// A decoded, upright source: RGB or RGBA bytes, possibly decoded at a
/// fraction of its size (see [`decode`]).
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub data: Vec<u8>,
    /// 1, 2, 4 or 8: the source's pixels per decoded pixel along each side.
    /// A [`Rect`] in source pixels is divided by this to crop these pixels.
    pub shrink: u32,
}

/// The largest shrink (1, 2, 4 or 8) at which every crop still has at least
/// the pixels of the size made from it, so the resampler only ever
/// reduces: `(crop, width, height)` per file to make.
pub fn shrink_for(files: impl IntoIterator<Item = (Rect, u32, u32)>) -> u32 {
    let mut shrink = 8;
    for (r, w, h) in files {
        while shrink > 1 && (r.width / shrink < w || r.height / shrink < h) {
            shrink /= 2;
        }
    }
    shrink
}

/// Decodes `bytes` and applies the EXIF orientation. `max_pixels` bounds the
/// decoder's memory (checked before decoding by the caller too). A JPEG is
/// decoded at `1/shrink` of its size in the DCT itself, which skips most of
/// the decoding work and memory of a phone photo shown at a fraction of
/// its size; other formats are decoded whole (`shrink` 1 in the result).
pub fn decode(bytes: &[u8], max_pixels: u64, shrink: u32) -> Result<Pixels, String> {
    let mut reader = reader(bytes)?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 << 20));
    reader.limits(limits);
    let is_jpeg = reader.format() == Some(image::ImageFormat::Jpeg);
    let mut decoder = reader.into_decoder().map_err(|e| describe(&e))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let scaled = if is_jpeg && shrink > 1 { decode_scaled(bytes, shrink) } else { None };
    let (mut img, shrink) = match scaled {
        Some(found) => found,
        None => (DynamicImage::from_decoder(decoder).map_err(|e| describe(&e))?, 1),
    };
    img.apply_orientation(orientation);
    let alpha = img.color().has_alpha();
    let (width, height) = (img.width(), img.height());
    let data = if alpha { img.into_rgba8().into_raw() } else { img.into_rgb8().into_raw() };
    Ok(Pixels { width, height, alpha, data, shrink })
}

/// A JPEG at `1/shrink` scale, as stored (before orientation), when the
/// scaled decoder takes it (colour or grey); None sends it to the whole
/// decoder, which also gives the error for a broken file.
fn decode_scaled(bytes: &[u8], shrink: u32) -> Option<(DynamicImage, u32)> {
    let mut d = jpeg_decoder::Decoder::new(bytes);
    d.read_info().ok()?;
    let info = d.info()?;
    let ask = |n: u16| u16::try_from(u32::from(n).div_ceil(shrink)).ok();
    let (w, h) = d.scale(ask(info.width)?, ask(info.height)?).ok()?;
    let got = u32::from(info.width).div_ceil(u32::from(w).max(1));
    let data = d.decode().ok()?;
    let (w, h) = (u32::from(w), u32::from(h));
    let img = match d.info()?.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => DynamicImage::ImageRgb8(image::RgbImage::from_raw(w, h, data)?),
        jpeg_decoder::PixelFormat::L8 => DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, data)?),
        _ => return None,
    };
    // The scale the decoder chose, which is the one asked for unless it
    // could not (then whatever it gave, as long as it is a power of two).
    matches!(got, 1 | 2 | 4 | 8).then_some((img, got))
}

/// A crop of the source, in source pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

/// `rect` (in source pixels) of `src` resampled to `w`×`h` (Lanczos 3,
/// alpha premultiplied).
pub fn resize(src: &Pixels, rect: Rect, w: u32, h: u32) -> Result<Pixels, String> {
    let kind = if src.alpha { fr::PixelType::U8x4 } else { fr::PixelType::U8x3 };
    let from = fr::images::ImageRef::new(src.width, src.height, &src.data, kind).map_err(|e| e.to_string())?;
    let mut to = fr::images::Image::new(w, h, kind);
    // The crop in decoded pixels, kept inside them (a scaled decode rounds
    // its last row and column up).
    let s = f64::from(src.shrink);
    let left = (f64::from(rect.left) / s).min(f64::from(src.width - 1));
    let top = (f64::from(rect.top) / s).min(f64::from(src.height - 1));
    let width = (f64::from(rect.width) / s).min(f64::from(src.width) - left);
    let height = (f64::from(rect.height) / s).min(f64::from(src.height) - top);
    let options = fr::ResizeOptions::new()
        .crop(left, top, width, height)
        .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    fr::Resizer::new().resize(&from, &mut to, &options).map_err(|e| e.to_string())?;
    Ok(Pixels { width: w, height: h, alpha: src.alpha, data: to.into_vec(), shrink: 1 })
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Webp,
    Jpeg,
    Png,
    /// A lossless intermediate the build reads back (a share card's photo
    /// crop): PNG at the fastest compression, never published.
    Crop,
    /// A file under static/ as it is, without its metadata (`strip`): not
    /// decoded, published at its own path.
    Stripped,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png | Format::Crop => "png",
            Format::Stripped => "orig",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
            Format::Png | Format::Crop => "image/png",
            Format::Stripped => "application/octet-stream",
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
        Format::Png | Format::Crop => {
            let mut out = Vec::new();
            let mut enc = png::Encoder::new(&mut out, p.width, p.height);
            enc.set_color(if p.alpha { png::ColorType::Rgba } else { png::ColorType::Rgb });
            enc.set_depth(png::BitDepth::Eight);
            enc.set_compression(if format == Format::Crop {
                png::Compression::Fast
            } else {
                png::Compression::Default
            });
            let mut w = enc.write_header().map_err(|e| e.to_string())?;
            w.write_image_data(&p.data).map_err(|e| e.to_string())?;
            w.finish().map_err(|e| e.to_string())?;
            Ok(out)
        }
        Format::Stripped => Err("a stripped file is made from its bytes, not from pixels".into()),
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
        let p = Pixels { width: 8, height: 4, alpha: false, data: vec![128; 8 * 4 * 3], shrink: 1 };
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
        let p = Pixels { width: 64, height: 32, alpha: false, data, shrink: 1 };
        let img = image::load_from_memory(&encode(&p, Format::Jpeg).unwrap()).unwrap().to_rgb8();
        let (l, r) = (img.get_pixel(4, 16).0, img.get_pixel(60, 16).0);
        assert!(l[0] > 180 && l[2] < 80 && r[2] > 180 && r[0] < 80, "{l:?} {r:?}");
    }

    #[test]
    fn jpegs_decode_at_a_fraction_of_their_size_when_every_file_allows() {
        let rect = |w, h| Rect { left: 0, top: 0, width: w, height: h };
        assert_eq!(shrink_for([(rect(4032, 3024), 480, 480), (rect(4032, 2520), 640, 400)]), 4);
        assert_eq!(shrink_for([(rect(4032, 3024), 480, 480), (rect(4032, 3024), 1600, 1200)]), 2);
        assert_eq!(shrink_for([(rect(300, 300), 240, 240)]), 1);
        assert_eq!(shrink_for([(rect(8000, 8000), 100, 100)]), 8, "never more than the DCT gives");

        // Red left, blue right, 257 wide (a partial last block at 1/4).
        let (w, h) = (257u32, 64u32);
        let data: Vec<u8> =
            (0..w * h).flat_map(|i| if i % w < w / 2 { [220, 30, 30] } else { [30, 30, 220] }).collect();
        let full = Pixels { width: w, height: h, alpha: false, data, shrink: 1 };
        let jpeg = encode(&full, Format::Jpeg).unwrap();
        let small = decode(&jpeg, 1 << 20, 4).unwrap();
        assert_eq!((small.width, small.height, small.shrink), (65, 16, 4));
        // A crop in source pixels: the right half, as 32×16.
        let right = resize(&small, Rect { left: 129, top: 0, width: 128, height: 64 }, 32, 16).unwrap();
        let px = &right.data[(8 * 32 + 16) * 3..][..3];
        assert!(px[2] > 180 && px[0] < 80, "{px:?}");
        // The whole source at shrink 4 maps inside the decoded pixels.
        assert!(resize(&small, Rect { left: 0, top: 0, width: w, height: h }, 20, 5).is_ok());
        // A PNG is decoded whole whatever is asked.
        let png = encode(&full, Format::Png).unwrap();
        assert_eq!(decode(&png, 1 << 20, 4).unwrap().shrink, 1);
    }

    #[test]
    fn garbage_is_a_sentence_not_a_panic() {
        assert!(probe(b"not an image").unwrap_err().contains("not a JPEG"));
        assert!(probe(b"\x89PNG\r\n\x1a\n").is_err());
    }
}
