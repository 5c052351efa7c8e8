//! Lossless metadata removal, for the raster files under `static/` that no
//! story, body or logo shows (a template's background, a download linked by
//! hand): they are published at their own path with their pixels as they
//! are, but without EXIF, XMP, IPTC, comments or text chunks, so a phone
//! photo dropped into `static/` does not publish the office's GPS position.
//!
//! What a browser needs to draw the file the same way is kept: colour
//! profiles, transparency, animation, and the EXIF orientation, rewritten
//! as a 26-byte EXIF block that holds nothing else. Files the pipeline
//! shows are re-encoded from their pixels instead (see `derive`).
//!
//! JPEG, PNG and WebP containers are read by the `img-parts` crate; what
//! it leaves alone is handled here: the data after a JPEG's end of image
//! (phones append a second image there, with its own EXIF) and GIF, which
//! it does not read.

use bytes::Bytes;
use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::ImageEXIF;

/// `bytes` without metadata. Errors say why the file cannot be read.
pub fn metadata(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let orientation = super::derive::orientation(bytes);
    let exif = orientation.filter(|&o| o != 1).map(orientation_exif);
    let fail = |e: img_parts::Error| format!("its structure cannot be read ({e})");
    let b = Bytes::copy_from_slice(bytes);
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut jpeg = Jpeg::from_bytes(b).map_err(fail)?;
        jpeg.segments_mut().retain(|s| keeps_jpeg_segment(s.marker(), s.contents()));
        jpeg.set_exif(exif);
        let mut out = jpeg.encoder().bytes().to_vec();
        out.truncate(jpeg_end(&out).unwrap_or(out.len()));
        Ok(out)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let mut png = Png::from_bytes(b).map_err(fail)?;
        png.chunks_mut().retain(|c| keeps_png_chunk(c.kind()));
        png.set_exif(exif);
        Ok(png.encoder().bytes().to_vec())
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        let mut webp = WebP::from_bytes(b).map_err(fail)?;
        webp.chunks_mut().retain(|c| keeps_webp_chunk(c.id()));
        webp.set_exif(exif);
        Ok(webp.encoder().bytes().to_vec())
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        gif(bytes).ok_or_else(|| "its structure cannot be read (a truncated or damaged GIF)".to_string())
    } else {
        Err("the file is not a JPEG, PNG, GIF or WebP image".into())
    }
}

/// A TIFF block (big-endian) with one entry: Orientation (0x0112) = `o`.
fn orientation_exif(o: u8) -> Bytes {
    let mut t = Vec::with_capacity(26);
    t.extend_from_slice(b"MM\0\x2a\0\0\0\x08"); // byte order, magic, first IFD at 8
    t.extend_from_slice(&[0, 1]); // one entry
    t.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o, 0, 0]); // SHORT, count 1
    t.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
    Bytes::from(t)
}

/// APP0 (JFIF), APP2 colour profiles and APP14 (Adobe: how colours are
/// stored) are kept with every non-APP segment; other APP segments (EXIF,
/// XMP, IPTC, MPF, maker notes) and comments go.
fn keeps_jpeg_segment(marker: u8, contents: &[u8]) -> bool {
    match marker {
        markers::APP0 | markers::APP14 => true,
        markers::APP2 => contents.starts_with(b"ICC_PROFILE\0"),
        m if (markers::APP0..=markers::APP15).contains(&m) => false,
        markers::COM => false,
        _ => true,
    }
}

/// The chunks that change how a PNG is drawn; text, EXIF, time stamps and
/// private chunks go.
fn keeps_png_chunk(kind: [u8; 4]) -> bool {
    const KEPT: [&[u8; 4]; 17] = [
        b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD", b"pHYs",
        b"acTL", b"fcTL", b"fdAT", b"cICP", b"cLLI",
    ];
    KEPT.iter().any(|k| **k == kind)
}

/// The image, alpha, animation and colour-profile chunks of a WebP.
fn keeps_webp_chunk(id: [u8; 4]) -> bool {
    [b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"].iter().any(|k| **k == id)
}

/// Where the first image of a JPEG ends (after its EOI marker). Segments
/// are stepped over by their lengths and scans by their markers (a 0xFF in
/// entropy-coded data is followed by 0x00 or a restart marker), so a table
/// that happens to hold 0xFF 0xD9 does not end it early.
fn jpeg_end(b: &[u8]) -> Option<usize> {
    let mut i = 2;
    loop {
        // A marker: 0xFF (fill bytes allowed), then its code.
        while *b.get(i)? != 0xFF {
            i += 1;
        }
        while *b.get(i)? == 0xFF {
            i += 1;
        }
        let marker = *b.get(i)?;
        i += 1;
        match marker {
            markers::EOI => return Some(i),
            0xD0..=0xD7 | 0x01 => continue,
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]));
        i += len;
        if marker == markers::SOS {
            // Entropy-coded data up to the next real marker.
            loop {
                if *b.get(i)? == 0xFF && !matches!(*b.get(i + 1)?, 0x00 | 0xD0..=0xD7 | 0xFF) {
                    break;
                }
                i += 1;
            }
        }
    }
}

/// A GIF without comment blocks or application blocks other than the
/// looping ones (NETSCAPE2.0, ANIMEXTS1.0); XMP lives in the latter. None
/// if the file ends early.
fn gif(b: &[u8]) -> Option<Vec<u8>> {
    let table = |packed: u8| if packed & 0x80 != 0 { 3 << ((packed & 7) + 1) } else { 0 };
    // Header (6) and logical screen descriptor (7), then the global table.
    let mut i = 13 + table(*b.get(10)?);
    let mut out = b.get(..i)?.to_vec();
    // The end of the data sub-blocks that start at `at`.
    let sub_blocks = |mut at: usize| -> Option<usize> {
        loop {
            let n = usize::from(*b.get(at)?);
            at += 1 + n;
            if n == 0 {
                return Some(at);
            }
        }
    };
    loop {
        match *b.get(i)? {
            0x3B => {
                out.push(0x3B);
                return Some(out);
            }
            0x2C => {
                // Image descriptor (10), local table, LZW code size, data.
                let data = i + 10 + table(*b.get(i + 9)?) + 1;
                let end = sub_blocks(data)?;
                out.extend_from_slice(b.get(i..end)?);
                i = end;
            }
            0x21 => {
                let label = *b.get(i + 1)?;
                let end = sub_blocks(i + 2)?;
                let app = b.get(i + 3..i + 14);
                let keep = match label {
                    0xFE => false,
                    0xFF => matches!(app, Some(b"NETSCAPE2.0" | b"ANIMEXTS1.0")),
                    _ => true,
                };
                if keep {
                    out.extend_from_slice(b.get(i..end)?);
                }
                i = end;
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with(segments: &[(u8, &[u8])], tail: &[u8]) -> Vec<u8> {
        let mut f = vec![0xFF, 0xD8];
        for (m, c) in segments {
            f.extend_from_slice(&[0xFF, *m]);
            f.extend_from_slice(&(c.len() as u16 + 2).to_be_bytes());
            f.extend_from_slice(c);
        }
        f.extend_from_slice(tail);
        f
    }

    #[test]
    fn a_jpeg_loses_its_app_segments_and_what_follows_its_end() {
        let sos: &[u8] = &[1, 1, 0, 0, 63, 0];
        let f = jpeg_with(
            &[
                (markers::APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"),
                (markers::APP1, b"Exif\0\0MM\0\x2a secret GPS"),
                (markers::APP1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"),
                (markers::APP2, b"ICC_PROFILE\0\x01\x01profile"),
                (markers::APP2, b"MPF\0II*\0"),
                (markers::COM, b"taken at the office"),
                (markers::DQT, &[0; 65]),
                (markers::SOS, sos),
            ],
            b"\x12\xFF\x00\x34\xFF\xD0\x56\xFF\xD9second image Exif GPS",
        );
        let out = metadata(&f).unwrap();
        let text = String::from_utf8_lossy(&out);
        for gone in ["secret", "xmpmeta", "MPF", "office", "second"] {
            assert!(!text.contains(gone), "{gone} left in {text:?}");
        }
        assert!(text.contains("JFIF") && text.contains("ICC_PROFILE"));
        assert!(out.ends_with(b"\x12\xFF\x00\x34\xFF\xD0\x56\xFF\xD9"), "the scan is kept whole: {out:?}");
    }

    #[test]
    fn the_end_of_a_jpeg_is_found_past_tables_that_hold_its_code() {
        let f = jpeg_with(&[(markers::DHT, &[0xFF, 0xD9, 0]), (markers::SOS, &[0])], b"\xFF\xD9tail");
        assert_eq!(jpeg_end(&f), Some(f.len() - 4));
        assert_eq!(jpeg_end(b"\xFF\xD8\xFF\xDB"), None, "truncated");
    }

    #[test]
    fn a_gif_loses_comments_and_xmp_and_keeps_its_loop() {
        let mut f = b"GIF89a\x01\x00\x01\x00\x80\x00\x00".to_vec();
        f.extend_from_slice(&[0, 0, 0, 255, 255, 255]); // global table of 2
        f.extend_from_slice(b"\x21\xFF\x0bNETSCAPE2.0\x03\x01\x00\x00\x00");
        f.extend_from_slice(b"\x21\xFF\x0bXMP DataXMP\x05<x:a>\x00");
        f.extend_from_slice(b"\x21\xFE\x06secret\x00");
        f.extend_from_slice(b"\x2C\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\x00\x3B");
        let out = metadata(&f).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("NETSCAPE2.0") && !text.contains("XMP") && !text.contains("secret"), "{text:?}");
        assert!(out.ends_with(b"\x02\x02\x44\x01\x00\x3B"));
        assert!(metadata(&f[..f.len() - 3]).is_err(), "truncated");
    }

    #[test]
    fn the_orientation_block_holds_only_the_orientation() {
        let t = orientation_exif(6);
        assert_eq!(t.len(), 26);
        assert_eq!(image::metadata::Orientation::from_exif_chunk(&t).map(|o| o.to_exif()), Some(6));
    }
}
