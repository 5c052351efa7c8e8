//! Static files of the output, and cache-busting names for stylesheets and
//! scripts: `css/style.css` is also written as `css/style.<hash>.css`, where
//! the hash is of its bytes, and templates link that name (`site.css_url`,
//! `site.assets["js/search.js"]`). Hosts and browsers may then cache those
//! files for good and still get a new one after every change. The plain
//! name stays for links written by hand.

use super::theme::{Source, Theme};
use super::Content;
use crate::model::Site;
use std::collections::BTreeMap;

/// Every static file by output path: the theme's, then the site's
/// `static/` over them (a site file replaces a theme file of the same path).
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
        statics.insert(rel.clone(), Content::File(site.root.join("static").join(rel)));
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
        .filter_map(|(path, content)| {
            let bytes: std::borrow::Cow<[u8]> = match content {
                Content::Bytes(b) => b[..].into(),
                Content::Embedded(b) => (*b).into(),
                Content::File(p) => std::fs::read(p).ok()?.into(),
            };
            Some((path.clone(), hashed_name(path, &bytes)))
        })
        .collect()
}

/// `css/style.css` -> `css/style.1a2b3c4d5e.css`: the first 10 hex digits
/// of the FNV-1a hash of the bytes. FNV rather than Rust's own hasher: the
/// name must not change between storypath versions when the file did not.
fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let hash = format!("{h:016x}");
    match path.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') => format!("{stem}.{}.{ext}", &hash[..10]),
        _ => format!("{path}.{}", &hash[..10]),
    }
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
