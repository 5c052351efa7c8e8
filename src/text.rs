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
    // One SIMD search for the three, not a `replace` (and a copy) per
    // character: every page's JSON-LD goes through here.
    let mut out = String::with_capacity(json.len() + 16);
    let mut start = 0;
    for i in memchr::memchr3_iter(b'<', b'>', b'&', json.as_bytes()) {
        // An ASCII byte: `i` is on a character boundary.
        out.push_str(&json[start..i]);
        out.push_str(match json.as_bytes()[i] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        start = i + 1;
    }
    out.push_str(&json[start..]);
    out
}

/// Whitespace collapsed, then cut to at most `max` characters for a
/// description or an excerpt. A cut ends at a whole sentence when one ends
/// in the second half of the text kept (no ellipsis then); otherwise at a
/// word, without the punctuation before it, and with "…". An excerpt never
/// reads ".…" or ",…".
pub fn truncate_chars(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max + 1).collect();
    // The end of the last sentence that ends before the cut (the character
    // after it is a space), in bytes.
    let sentence = cut
        .char_indices()
        .zip(cut.chars().skip(1))
        .filter(|((_, c), next)| matches!(c, '.' | '!' | '?') && *next == ' ')
        .map(|((i, c), _)| i + c.len_utf8())
        .last();
    if let Some(end) = sentence.filter(|&e| cut[..e].chars().count() * 2 >= max) {
        return cut[..end].to_string();
    }
    let mut cut: String = cut.chars().take(max).collect();
    if let Some(i) = cut.rfind(' ') {
        cut.truncate(i);
    }
    let kept = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:.!?-–—(\"'“‘".contains(c)).len();
    cut.truncate(kept);
    cut.push('…');
    cut
}

/// A tag or an origin as people read it. Written as a slug
/// ("workforce-planning", "analytics"), it reads "Workforce planning",
/// "Analytics"; written any other way ("By accident", "AI", "24-7"), it
/// stays as written.
pub fn display_name(raw: &str) -> String {
    let t = raw.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
        return t.to_string();
    }
    let spaced = t.split('-').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    let mut chars = spaced.chars();
    chars.next().map(|f| f.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
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
    fn tags_written_as_slugs_read_as_words() {
        assert_eq!(display_name("workforce-planning"), "Workforce planning");
        assert_eq!(display_name("analytics"), "Analytics");
        assert_eq!(display_name("By accident"), "By accident");
        assert_eq!(display_name("AI"), "AI");
        assert_eq!(display_name("24-7"), "24-7", "digits: not a slug of words");
    }

    #[test]
    fn excerpts_end_at_a_sentence_or_a_word_never_at_punctuation_and_an_ellipsis() {
        assert_eq!(truncate_chars("Short  text.", 40), "Short text.");
        // A sentence ends in the second half: the cut ends there, no ellipsis.
        let t = "I started on the phones. Then I coached a team of twelve people for years.";
        assert_eq!(truncate_chars(t, 40), "I started on the phones.");
        // No sentence end late enough: a whole word, its comma dropped, then "…".
        let t = "Scheduling, forecasting, coaching, reporting and much more besides";
        assert_eq!(truncate_chars(t, 36), "Scheduling, forecasting, coaching…");
        let t = "A. Then a very long sentence that runs on and on without any end at all";
        let cut = truncate_chars(t, 30);
        assert!(cut.ends_with('…') && !cut.ends_with(".…") && cut.chars().count() <= 31, "{cut}");
        for max in 5..70 {
            let cut = truncate_chars("Hello there. Another one, with commas; and: colons. Done", max);
            assert!(![".…", ",…", ";…", ":…"].iter().any(|e| cut.ends_with(e)), "{max}: {cut}");
        }
    }

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
    fn markup_free_json_is_the_same_value() {
        let text = r#"{"a":"<p>Tom & Jerry</p> → é","b":"plain"}"#;
        let free = markup_free_json(text);
        assert_eq!(free, r#"{"a":"\u003cp\u003eTom \u0026 Jerry\u003c/p\u003e → é","b":"plain"}"#);
        let back: serde_json::Value = serde_json::from_str(&free).unwrap();
        assert_eq!(back, serde_json::from_str::<serde_json::Value>(text).unwrap());
        assert_eq!(markup_free_json("&"), "\\u0026");
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
