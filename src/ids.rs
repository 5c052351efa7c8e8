//! The one rule every id and slug follows, because each becomes a folder
//! name in the output and a segment of a URL: lower-case ASCII letters,
//! digits and `-`, with at least one letter or digit. Such a name cannot
//! climb out of the output folder (`..`), hide (`.x`), split a URL (`?`,
//! `#`, spaces), inject a header (CR/LF) or collide with another on a host
//! that folds case. Names the site itself takes at the top of its URL space
//! ([`RESERVED`]) are refused for pages, which live there.

use crate::diagnostics::Diagnostic;
use crate::load::fields::Sp;

/// Top-level URL names storypath writes itself (or will: `jobs`, `admin`),
/// or that hosts and tools give a meaning to.
pub const RESERVED: &[&str] = &[
    "stories", "roles", "map", "families", "origins", "tags", "jobs", "admin", "css", "js", "img", "fonts", "og", "404",
];

/// ISO 639-1 language codes: a language of the site lives at `/<code>/`, so
/// a page may not take one (adding French later would break `/fr/`).
const LANGUAGE_CODES: &str =
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv \
cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii \
ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms \
mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn \
so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Whether `id` follows the rule (see the module's doc).
pub fn is_valid(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && id.bytes().any(|b| b != b'-')
}

/// A valid id close to `id`: accents folded, other characters turned into
/// hyphens; `fallback` when nothing of `id` is left.
pub fn suggest(id: &str, fallback: &str) -> String {
    let s = crate::text::slugify(id);
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// The error for an id that breaks the rule, at the id's own span, with a
/// suggested id; `None` when it is fine. `key` is how the file spells it
/// (`id`, `slug`), `what` what it names ("role id").
pub fn check(file: &str, id: &Sp<String>, key: &str, what: &str) -> Option<Diagnostic> {
    if is_valid(&id.value) {
        return None;
    }
    let why = if id.value.is_empty() {
        "is empty".to_string()
    } else {
        format!("`{}` is not allowed", escape_shown(&id.value))
    };
    let fixed = suggest(&id.value, "my-id");
    Some(
        Diagnostic::at(file, id.span.clone(), format!("the {what} {why}: it becomes a URL and a folder name"))
            .label("use lower-case letters, digits and `-`")
            .hint(format!("write {key} = \"{fixed}\"")),
    )
}

/// Why a page slug may not be used at the top of the site, if it may not.
pub fn reserved_reason(slug: &str) -> Option<String> {
    if RESERVED.contains(&slug) {
        Some(format!("`{slug}` is a name storypath uses at the top of the site"))
    } else if slug.len() == 2 && LANGUAGE_CODES.split(' ').any(|c| c == slug) {
        Some(format!("`{slug}` is a language code: a site's pages in that language live at /{slug}/"))
    } else {
        None
    }
}

/// An id as shown in a message: control characters (CR, LF...) written as
/// escapes, so a hostile id cannot break the report's lines.
fn escape_shown(s: &str) -> String {
    s.chars().flat_map(char::escape_debug).collect::<String>().replace("\\'", "'").replace("\\\"", "\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        for ok in ["agent", "team-lead", "wfm2", "2024", "a--b", "-x"] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in
            ["", "-", "--", "..", ".", "../../x", "Agent", "team lead", "a?b", "a#b", "a\r\nb", "é", "a/b", "a.b"]
        {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }

    #[test]
    fn suggestions_are_valid() {
        for raw in ["../../x", "Team Lead", "Zoë", "a\r\nLocation: x", "..", ""] {
            let s = suggest(raw, "my-id");
            assert!(is_valid(&s), "{raw:?} -> {s:?}");
        }
        assert_eq!(suggest("Team Lead", "x"), "team-lead");
    }

    #[test]
    fn messages_escape_control_characters() {
        let d = check("content/ladder.toml", &Sp::new("a\r\nb".into(), 0..1), "id", "role id").unwrap();
        assert!(!d.message.contains('\n') && !d.message.contains('\r'), "{}", d.message);
        assert!(d.message.contains("a\\r\\nb"), "{}", d.message);
    }

    #[test]
    fn reserved_names() {
        assert!(reserved_reason("stories").is_some());
        assert!(reserved_reason("fr").is_some());
        assert!(reserved_reason("benefits").is_none());
        assert!(reserved_reason("hr-team").is_none());
    }
}
