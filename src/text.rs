//! Small text helpers shared by every stage: slugs, "did you mean" and escaping.

/// A 64-bit fingerprint of a value, to tell whether an input changed between
/// two rebuilds of `serve`. Only compared within one process, never written.
pub fn fingerprint<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}

/// The fingerprint of a sequence, hashed as it goes: no list is gathered
/// first (for keys over every story of a large site).
pub fn fingerprint_each<T: std::hash::Hash>(items: impl IntoIterator<Item = T>) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    for item in items {
        item.hash(&mut h);
    }
    h.finish()
}

/// A URL slug: lower case ASCII, accents folded (`Zoë Núñez` -> `zoe-nunez`).
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// A relative path with plain segments only: no `..`, `.`, empty segment,
/// backslash or NUL, so that joined to a folder it stays inside it. Used for
/// every path written into the output and every path a build keeps there.
pub fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

/// The candidate closest to `wrong`, if it is close enough to be a likely typo.
pub fn closest<'a, I>(wrong: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&wrong.to_lowercase(), &c.to_lowercase());
        let better = match best {
            None => true,
            Some((s, b)) => score > s || (score == s && c < b),
        };
        if better {
            best = Some((score, c));
        }
    }
    best.filter(|(score, _)| *score >= 0.8).map(|(_, c)| c)
}

/// "did you mean `x`?" for the closest candidate, if any.
pub fn did_you_mean<'a, I>(wrong: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(wrong, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Escapes text for HTML and XML element content and attribute values.
/// Copies runs that need no escaping in one go: this runs over every page.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            // Control characters are not allowed in XML 1.0.
            0..=0x08 | 0x0b | 0x0c | 0x0e..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[run..i]);
        out.push_str(rep);
        run = i + 1;
    }
    out.push_str(&text[run..]);
    out
}

/// Serialises JSON for a `<script type="application/ld+json">` block: `<` is
/// escaped so that `</script>` inside a string cannot close the tag.
pub fn json_for_script(value: &serde_json::Value) -> String {
    markup_free_json(&serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".into()))
}

/// JSON text with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`
/// (the same JSON value): no string in it can read as markup, wherever the
/// JSON ends up (a script block, a file a browser might sniff as HTML).
pub fn markup_free_json(json: &str) -> String {
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// Strips Markdown/HTML down to plain text for descriptions and truncates it.
pub fn truncate_chars(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max).collect();
    if let Some(i) = cut.rfind(' ') {
        cut.truncate(i);
    }
    cut.push('…');
    cut
}

/// True for `#rgb` and `#rrggbb` colours, the only forms we put into CSS and SVG.
pub fn is_hex_color(s: &str) -> bool {
    let hex = match s.strip_prefix('#') {
        Some(h) => h,
        None => return false,
    };
    (hex.len() == 3 || hex.len() == 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// What a path keeps unencoded in a URL: letters, digits, `/` and the
/// marks that mean nothing special in a path. Everything else (CR, LF,
/// space, `%`, `?`, `#`, quotes, commas, non-ASCII) is percent-encoded, so
/// a redirect can never carry a header of its own or change meaning, and a
/// `srcset` entry (split at spaces and commas) stays one URL.
const PATH_KEEP: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(0x7f);

/// Percent-encodes a decoded path for a header or an attribute.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH_KEEP).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_relative_paths() {
        for ok in ["index.html", "stories/ana/index.html", ".git", "og/x.png"] {
            assert!(is_plain_relative(ok), "{ok}");
        }
        for bad in ["", "/etc", "../x", "a/../b", "a//b", "./a", "a\\b", "a\0b", "a/"] {
            assert!(!is_plain_relative(bad), "{bad:?}");
        }
    }

    #[test]
    fn slugs_fold_accents() {
        assert_eq!(slugify("Zoë Núñez"), "zoe-nunez");
        assert_eq!(slugify("By accident!"), "by-accident");
    }

    #[test]
    fn suggestions_find_typos_only() {
        let ids = ["wfm-analyst", "wfm-manager", "agent"];
        assert_eq!(closest("wfm-analist", ids), Some("wfm-analyst"));
        assert_eq!(closest("zzzz", ids), None);
    }

    #[test]
    fn json_cannot_close_script() {
        let v = serde_json::json!({"name": "</script><script>alert(1)</script>"});
        assert!(!json_for_script(&v).contains("</script>"));
    }

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(escape_xml("a<b>&\"c'\u{1}é\n"), "a&lt;b&gt;&amp;&quot;c&#39;é\n");
        assert_eq!(escape_xml("plain"), "plain");
    }

    #[test]
    fn colors() {
        assert!(is_hex_color("#14532d"));
        assert!(is_hex_color("#fff"));
        assert!(!is_hex_color("red;}"));
    }
}
