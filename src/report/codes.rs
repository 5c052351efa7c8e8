//! The stable codes of `check`'s warnings, like clippy's lint names: a
//! `[check]` table in site.toml sets each one's level, CI annotations carry
//! them, and the README lists them. A code, once published, keeps its name.

use crate::diagnostics::{Diagnostic, Severity};

/// Every warning code, with what it means (for the README and `did you mean`).
pub const CODES: &[(&str, &str)] = &[
    ("missing-photo", "a story has no photo"),
    ("missing-quote", "a story has no quote"),
    ("stale-story", "a story is dated longer ago than `stale_after` (default 2y)"),
    ("unlisted-move", "a journey takes a move the ladder does not list"),
    ("role-without-story", "no story shows a role of the ladder"),
    ("move-without-story", "no journey takes a move the ladder lists"),
    ("track-without-story", "no journey passes through a track"),
    ("removed-embed", "a body holds an <iframe>, <video>, <audio> or <object>, which is removed"),
    ("crawl-files-under-subpath", "security.txt and robots.txt are published under a subpath"),
    ("unmapped-job", "an opening is on no role of the ladder"),
    ("incomplete-job", "an opening has no description or no place"),
    ("expiring-job", "an opening ends within a week"),
    ("untranslated-story", "stories not in one of the site's languages"),
    ("untranslated-ladder", "ladder entries without a translation"),
    ("missing-ui-words", "UI words the theme has no translation for, shown in English"),
];

/// What `check` does with a warning of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported; fails only `check --strict`.
    #[default]
    Warn,
    /// Reported as an error: `check` fails.
    Deny,
}

impl Level {
    pub const NAMES: [&'static str; 3] = ["allow", "warn", "deny"];

    pub fn from_name(name: &str) -> Option<Level> {
        match name {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
}

pub fn is_code(code: &str) -> bool {
    CODES.iter().any(|(c, _)| *c == code)
}

/// Applies the site's levels: allowed warnings are dropped, denied ones
/// become errors (keeping their code).
pub fn apply(warnings: Vec<Diagnostic>, level: impl Fn(&str) -> Level) -> Vec<Diagnostic> {
    warnings
        .into_iter()
        .filter_map(|mut d| match d.code.map(&level).unwrap_or_default() {
            Level::Allow => None,
            Level::Warn => Some(d),
            Level::Deny => {
                d.severity = Severity::Error;
                Some(d)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_names() {
        let mut seen = std::collections::BTreeSet::new();
        for (code, _) in CODES {
            assert!(seen.insert(code), "{code} twice");
            assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{code}");
        }
    }

    #[test]
    fn levels_drop_keep_or_deny() {
        let w = |code| Diagnostic::new("site.toml", None, "x").warning(code);
        let out = apply(vec![w("missing-photo"), w("stale-story"), w("unmapped-job")], |c| match c {
            "missing-photo" => Level::Allow,
            "unmapped-job" => Level::Deny,
            _ => Level::Warn,
        });
        let got: Vec<_> = out.iter().map(|d| (d.code.unwrap(), d.severity)).collect();
        assert_eq!(got, [("stale-story", Severity::Warning), ("unmapped-job", Severity::Error)]);
    }
}
