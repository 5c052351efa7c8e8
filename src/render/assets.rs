//! Static files of the output, and cache-busting names for stylesheets and
//! scripts: `css/style.css` is also written as `css/style.<hash>.css`, where
//! the hash is of its bytes, and templates link that name (`site.css_url`,
//! `site.assets["js/search.js"]`). Hosts and browsers may then cache those
//! files for good and still get a new one after every change. A theme's
//! stylesheets and scripts are published under the hashed name only: nothing
//! links the plain one, and an unhashed copy would be cached stale. A file
//! the site itself puts in `static/` keeps its own name too, since the site
//! may link it by hand.
//!
//! The site's `.well-known/security.txt` (RFC 9116) is published with an
//! `Expires` a year after the build date and its `Canonical` URL (see
//! [`security_txt`]).

use super::theme::{Source, Theme};
use super::Content;
use crate::model::Site;
use std::collections::BTreeMap;

/// Every static file by output path: the theme's, then the site's
/// `static/` over them (a site file replaces a theme file of the same
/// path), with the image pipeline's files in place of its sources.
pub fn statics(site: &Site, theme: &Theme) -> BTreeMap<String, Content> {
    let mut statics: BTreeMap<String, Content> = theme
        .statics
        .iter()
        .map(|(rel, src)| {
            let content = match src {
                Source::Embedded(b) => Content::Embedded(b),
                Source::Disk(p) => Content::File(p.clone()),
            };
            (rel.clone(), content)
        })
        .collect();
    for rel in &site.static_files {
        if !site.media.replaces(rel) {
            let file = site.root.join("static").join(rel);
            let content = match (rel.as_str(), std::fs::read_to_string(&file)) {
                (SECURITY_TXT, Ok(text)) => security_txt(site, &text, crate::clock::today())
                    .map_or(Content::File(file), |t| Content::Bytes(t.into_bytes().into())),
                _ => Content::File(file),
            };
            statics.insert(rel.clone(), content);
        }
    }
    // Derived images in place of the originals they replace (`media`).
    for (out, entry) in site.media.outputs() {
        statics.insert(out, Content::Cached(entry));
    }
    statics
}

/// Where RFC 9116 puts the security contact file.
const SECURITY_TXT: &str = ".well-known/security.txt";

/// `security.txt` as published: its own fields, but `Expires` one year
/// after the build date (`today`, which is `SOURCE_DATE_EPOCH` when set, so
/// builds stay reproducible) at midnight UTC, which is at most a year ahead
/// as RFC 9116 recommends, and `Canonical` the file's absolute URL. A date
/// written by hand goes stale unnoticed; one from the build date is renewed
/// by every build. `None` for a signed file, which must not be changed (its
/// signature would no longer match).
fn security_txt(site: &Site, text: &str, today: (i32, u32, u32)) -> Option<String> {
    if text.trim_start().starts_with("-----BEGIN PGP SIGNED MESSAGE-----") {
        return None;
    }
    let field = |line: &str, name: &str| line.split_once(':').is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case(name));
    let mut out: String =
        text.lines().filter(|l| !field(l, "Expires") && !field(l, "Canonical")).map(|l| format!("{l}\n")).collect();
    let (y, m, d) = today;
    // A year after 29 February is 28 February, not a day that does not exist.
    let d = if (m, d) == (2, 29) { 28 } else { d };
    out.push_str(&format!("Expires: {:04}-{m:02}-{d:02}T00:00:00Z\n", y + 1));
    out.push_str(&format!("Canonical: {}\n", site.config.base.absolute(SECURITY_TXT)));
    Some(out)
}

/// The files as published: a theme's stylesheets and scripts under their
/// hashed names only (`hashed`, from [`hashed_names`]), a site's own under
/// both its plain and its hashed name.
pub fn publish(
    site: &Site,
    mut statics: BTreeMap<String, Content>,
    hashed: &BTreeMap<String, String>,
) -> BTreeMap<String, Content> {
    for (plain, name) in hashed {
        let from_site = site.static_files.iter().any(|f| f == plain);
        let content = if from_site { statics.get(plain).cloned() } else { statics.remove(plain) };
        if let Some(content) = content {
            statics.insert(name.clone(), content);
        }
    }
    statics
}

/// The hashed name of every `.css` and `.js` file among `statics`, by its
/// plain path. A file that cannot be read keeps its plain name (writing it
/// reports the problem).
pub fn hashed_names(statics: &BTreeMap<String, Content>) -> BTreeMap<String, String> {
    statics
        .iter()
        .filter(|(path, _)| path.ends_with(".css") || path.ends_with(".js"))
        .filter_map(|(path, content)| Some((path.clone(), hashed_name(path, &content.bytes().ok()?))))
        .collect()
}

/// `css/style.css` -> `css/style.1a2b3c4d5e.css` ([`fnv_hex`] of the bytes).
/// FNV rather than Rust's own hasher: the name must not change between
/// storypath versions when the file did not.
fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let hash = fnv_hex(bytes);
    match path.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') => format!("{stem}.{hash}.{ext}"),
        _ => format!("{path}.{hash}"),
    }
}

/// The first 10 hex digits of the 64-bit FNV-1a hash of `bytes`: a name
/// part that changes with the content and stays put across versions.
pub fn fnv_hex(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_a_hash_of_the_bytes() {
        let a = hashed_name("css/style.css", b"body{}");
        assert!(a.starts_with("css/style.") && a.ends_with(".css") && a.len() == "css/style..css".len() + 10, "{a}");
        assert_eq!(a, hashed_name("css/style.css", b"body{}"), "stable");
        assert_ne!(a, hashed_name("css/style.css", b"body{ }"), "changes with the bytes");
        // FNV-1a of the empty input is its offset basis: a fixed, known value.
        assert_eq!(hashed_name("a.js", b""), "a.cbf29ce484.js");
    }
}
