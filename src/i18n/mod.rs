//! The words a site prints, in its language: every UI string of the
//! templates and of the program (map labels, journey dates, card and feed
//! texts, JSON-LD names) comes from `i18n/<lang>.toml` files, never from
//! the code.
//!
//! Layers, least specific first, each replacing keys of the one before: the
//! built-in `horizon` theme, the built-in theme of the site's name, the
//! site's `themes/<name>/i18n/`, then the site's own `i18n/`. English
//! (`en.toml`) is the complete base: a key the page's language lacks falls
//! back to English, and `check` warns with the key and the file to add it to.
//!
//! A file is TOML; nested tables make dotted keys (`[nav] stories = ".."` is
//! `nav.stories`). A value is a string, or a table of CLDR plural categories
//! (`zero`, `one`, `two`, `few`, `many`, `other`; `other` required) chosen by
//! the language's plural rules (ICU4X). `{n}` is the count, formatted for the
//! locale; `{name}` and the like are filled by the caller.

mod format;
pub mod template;

use crate::diagnostics::{Diagnostic, Sources};
use crate::load::fields::Reader;
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};

pub use format::Formats;

/// The base language: its file holds every key.
pub const BASE: &str = "en";

/// The plural categories of CLDR, in the order a file lists them.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One i18n file of a layer: what it is called in messages, its language
/// and its text.
#[derive(Debug, Clone)]
pub struct File {
    pub name: String,
    pub lang: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Text(String),
    /// Category -> text; always has `other`.
    Plural(BTreeMap<String, String>),
}

/// A key the page's language lacks, shown in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub key: String,
    /// The English file that has it, to copy from.
    pub from: String,
}

/// The words of one language, every layer merged, with English beneath.
pub struct Words {
    pub lang: String,
    entries: BTreeMap<String, Entry>,
    /// Keys shown in English, for `check`.
    pub missing: Vec<Missing>,
    /// Whether any layer has a file for this language.
    pub has_file: bool,
    plural: Option<icu_plurals::PluralRules>,
    pub formats: Formats,
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Words").field("lang", &self.lang).field("keys", &self.entries.len()).finish()
    }
}

impl Default for Words {
    /// The built-in English words (tests, and code that has no site).
    fn default() -> Self {
        let files: Vec<File> = crate::render::theme::builtin_i18n(crate::render::theme::DEFAULT_THEME);
        Words::build(&files, BASE, &mut Sources::default(), &mut Vec::new())
    }
}

impl Words {
    /// The built-in English words, made once (for code that has no site).
    pub fn english() -> &'static Words {
        Words::shared_english_arc()
    }

    /// The same, shared: what a model holds until the pipeline gives it the
    /// site's words, without parsing the English file again for each build.
    pub fn shared_english() -> std::sync::Arc<Words> {
        Words::shared_english_arc().clone()
    }

    fn shared_english_arc() -> &'static std::sync::Arc<Words> {
        static EN: std::sync::OnceLock<std::sync::Arc<Words>> = std::sync::OnceLock::new();
        EN.get_or_init(|| std::sync::Arc::new(Words::default()))
    }

    /// No words at all (a theme not resolved yet).
    pub fn empty() -> Words {
        Words::build(&[], BASE, &mut Sources::default(), &mut Vec::new())
    }

    /// Merges `files` (least specific first) for `lang`. A file that is
    /// not valid TOML or holds something else than strings and plural
    /// tables is a located error.
    pub fn build(files: &[File], lang: &str, sources: &mut Sources, errors: &mut Vec<Diagnostic>) -> Words {
        let lang = lang.to_string();
        // A regional language without files of its own (`pt-BR`) speaks its
        // language's (`pt`).
        let primary = lang.split('-').next().unwrap_or(&lang);
        let file_lang = if files.iter().any(|f| f.lang == lang) { lang.as_str() } else { primary };
        let mut base: BTreeMap<String, (Entry, String)> = BTreeMap::new();
        let mut own: BTreeMap<String, Entry> = BTreeMap::new();
        let mut has_file = false;
        for f in files {
            let wanted = f.lang == BASE || f.lang == file_lang;
            if !wanted {
                continue;
            }
            let mut r = Reader::new(&f.name, 0);
            let mut flat = Vec::new();
            if let Some(t) = r.parse(&f.text) {
                flatten(&mut r, &t, "", &mut flat);
            }
            if !r.errors.is_empty() {
                sources.add(&f.name, &f.text);
                errors.append(&mut r.errors);
            }
            if f.lang == file_lang {
                has_file = true;
            }
            for (key, entry) in flat {
                if f.lang == BASE {
                    base.insert(key.clone(), (entry.clone(), f.name.clone()));
                }
                if f.lang == file_lang {
                    own.insert(key, entry);
                }
            }
        }
        let missing = base
            .iter()
            .filter(|(k, _)| !own.contains_key(*k))
            .map(|(k, (_, from))| Missing { key: k.clone(), from: from.clone() })
            .collect();
        let mut entries: BTreeMap<String, Entry> = base.into_iter().map(|(k, (e, _))| (k, e)).collect();
        entries.extend(own);
        let locale = format::locale(&lang);
        let plural = locale.as_ref().and_then(|l| icu_plurals::PluralRules::try_new_cardinal(l.into()).ok());
        Words { formats: Formats::new(locale.as_ref()), lang, entries, missing, has_file, plural }
    }

    /// Whether `key` is known (in this language or in English).
    pub fn has(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The text of `key`; a plural entry gives its `other` form. An unknown
    /// key gives itself, so a slip shows on the page instead of vanishing
    /// (the tests check every key the program uses).
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        match self.entries.get(key) {
            Some(Entry::Text(s)) => s,
            Some(Entry::Plural(m)) => m.get("other").map_or(key, String::as_str),
            None => key,
        }
    }

    /// `key` with `{name}` placeholders filled from `args`.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// The form of `key` for the count `n`, with `{n}` (the count, written
    /// for the locale) and the other placeholders filled.
    pub fn tn(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let cat = self.plural.as_ref().map(|r| r.category_for(n));
        self.counted(key, cat, n == 1, &self.formats.number(n as i64), args)
    }

    /// Like [`Words::tn`] for a count with a fraction, `scaled` /
    /// 10^`digits` ("2.5 years"; French makes 1.5 singular).
    pub fn tn_decimal(&self, key: &str, scaled: i64, digits: i16, args: &[(&str, &str)]) -> String {
        let mut d = icu_decimal::input::Decimal::from(scaled);
        d.multiply_pow10(-digits);
        let cat = self.plural.as_ref().map(|r| r.category_for(&d));
        self.counted(key, cat, false, &self.formats.decimal(scaled, digits), args)
    }

    fn counted(
        &self,
        key: &str,
        cat: Option<icu_plurals::PluralCategory>,
        is_one: bool,
        count: &str,
        args: &[(&str, &str)],
    ) -> String {
        use icu_plurals::PluralCategory as C;
        let cat = match cat {
            Some(C::Zero) => "zero",
            Some(C::One) => "one",
            Some(C::Two) => "two",
            Some(C::Few) => "few",
            Some(C::Many) => "many",
            Some(C::Other) => "other",
            None if is_one => "one",
            None => "other",
        };
        let text = match self.entries.get(key) {
            Some(Entry::Plural(m)) => m.get(cat).or_else(|| m.get("other")).map_or(key, String::as_str),
            Some(Entry::Text(s)) => s,
            None => key,
        };
        let mut all = vec![("n", count)];
        all.extend_from_slice(args);
        fill(text, &all)
    }

    /// Every form of `key` by plural category (a plain text is `other`), for
    /// scripts that pick the form themselves (`Intl.PluralRules`).
    pub fn forms(&self, key: &str) -> BTreeMap<String, String> {
        match self.entries.get(key) {
            Some(Entry::Plural(m)) => m.clone(),
            Some(Entry::Text(s)) => BTreeMap::from([("other".to_string(), s.clone())]),
            None => BTreeMap::new(),
        }
    }

    /// Every key, for the template check.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The `check` warnings: the keys shown in English. A language without
    /// any file gets one warning, not one per key.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        if self.lang == BASE || self.missing.is_empty() {
            return Vec::new();
        }
        let target = format!("i18n/{}.toml", self.lang);
        if !self.has_file {
            return vec![Diagnostic::new(
                crate::load::config::FILE,
                None,
                format!("the theme has no words in `{}`: its pages show English UI words", self.lang),
            )
            .warning("missing-ui-words")
            .hint(format!("add {target}, translated from {}", self.missing[0].from))];
        }
        self.missing
            .iter()
            .map(|m| {
                Diagnostic::new(
                    target.as_str(),
                    None,
                    format!("UI string `{}` has no `{}` translation: pages show it in English", m.key, self.lang),
                )
                .warning("missing-ui-words")
                .hint(format!("add `{}` to {target} (the English text is in {})", m.key, m.from))
            })
            .collect()
    }
}

/// Fills `{name}` placeholders; `{{` and unknown names are left as they are.
fn fill(text: &str, args: &[(&str, &str)]) -> String {
    if !text.contains('{') || args.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if args.iter().any(|(k, _)| *k == name) => {
                let v = args.iter().find(|(k, _)| *k == name).map_or("", |(_, v)| v);
                out.push_str(v);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The entries of a table, nested tables as dotted keys.
fn flatten(r: &mut Reader, t: &DeTable<'_>, prefix: &str, out: &mut Vec<(String, Entry)>) {
    for (k, v) in t {
        let key = if prefix.is_empty() { k.get_ref().to_string() } else { format!("{prefix}.{}", k.get_ref()) };
        match v.get_ref() {
            DeValue::String(s) => out.push((key, Entry::Text(s.to_string()))),
            DeValue::Table(inner) if is_plural(inner) => {
                let forms: Option<BTreeMap<String, String>> = inner
                    .iter()
                    .map(|(c, s)| Some((c.get_ref().to_string(), s.get_ref().as_str()?.to_string())))
                    .collect();
                match forms {
                    Some(f) if f.contains_key("other") => out.push((key, Entry::Plural(f))),
                    _ => {
                        r.error(
                            v.span(),
                            format!("plural entry `{key}` needs an `other` form, and every form is a string"),
                        )
                        .hint = Some(format!(
                            "write it like {key} = {{ one = \"{{n}} story\", other = \"{{n}} stories\" }}"
                        ));
                    }
                }
            }
            DeValue::Table(inner) => flatten(r, inner, &key, out),
            _ => {
                r.error(v.span(), format!("`{key}` must be a string or a table of plural forms")).hint =
                    Some(format!("write it like {key} = \"...\""));
            }
        }
    }
}

/// A table whose keys are all plural categories is a plural entry.
fn is_plural(t: &DeTable<'_>) -> bool {
    !t.is_empty() && t.keys().all(|k| CATEGORIES.contains(&k.get_ref().as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(files: &[(&str, &str, &str)], lang: &str) -> (Words, Vec<Diagnostic>) {
        let files: Vec<File> = files
            .iter()
            .map(|(n, l, t)| File { name: n.to_string(), lang: l.to_string(), text: t.to_string() })
            .collect();
        let mut errors = Vec::new();
        let w = Words::build(&files, lang, &mut Sources::default(), &mut errors);
        (w, errors)
    }

    #[test]
    fn layers_fall_back_to_english_and_say_which_keys() {
        let (w, errors) = words(
            &[
                ("theme/en.toml", "en", "[nav]\nstories = \"Stories\"\nroles = \"Roles\"\n"),
                ("theme/fr.toml", "fr", "[nav]\nstories = \"Témoignages\"\n"),
                ("i18n/fr.toml", "fr", "nav.stories = \"Parcours\"\n"),
            ],
            "fr",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(w.t("nav.stories"), "Parcours");
        assert_eq!(w.t("nav.roles"), "Roles");
        assert_eq!(w.missing, vec![Missing { key: "nav.roles".into(), from: "theme/en.toml".into() }]);
        let warn = w.warnings();
        assert_eq!(warn.len(), 1);
        assert!(warn[0].message.contains("`nav.roles`") && warn[0].file == "i18n/fr.toml", "{warn:?}");
    }

    #[test]
    fn plurals_follow_the_language_rules() {
        let plural = "n = { one = \"{n} poste\", many = \"{n} de postes\", other = \"{n} postes\" }\n";
        let (fr, _) = words(
            &[("en.toml", "en", "n = { one = \"{n} job\", other = \"{n} jobs\" }\n"), ("fr.toml", "fr", plural)],
            "fr",
        );
        // French: 0 and 1 are "one".
        assert_eq!(fr.tn("n", 0, &[]), "0 poste");
        assert_eq!(fr.tn("n", 1, &[]), "1 poste");
        assert_eq!(fr.tn("n", 2, &[]), "2 postes");
        let (en, _) = words(&[("en.toml", "en", "n = { one = \"{n} job\", other = \"{n} jobs\" }\n")], "en");
        assert_eq!(en.tn("n", 0, &[]), "0 jobs");
        assert_eq!(en.tn("n", 1200, &[]), "1,200 jobs");
        let ar = "n = { zero = \"لا وظائف\", one = \"وظيفة واحدة\", two = \"وظيفتان\", few = \"{n} وظائف\", many = \"{n} وظيفة\", other = \"{n} وظيفة\" }\n";
        let (ar, _) = words(&[("en.toml", "en", "n = \"x\"\n"), ("ar.toml", "ar", ar)], "ar");
        assert_eq!(ar.tn("n", 2, &[]), "وظيفتان");
        assert_eq!(ar.tn("n", 0, &[]), "لا وظائف");
    }

    #[test]
    fn placeholders_and_bad_files() {
        let (w, errors) =
            words(&[("en.toml", "en", "hi = \"Hello {name}, {missing} {{x}}\"\nbad = 3\np = { one = \"a\" }\n")], "en");
        assert_eq!(w.tf("hi", &[("name", "Ada")]), "Hello Ada, {missing} {{x}}");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].message.contains("`bad` must be a string"));
        assert!(errors[1].message.contains("needs an `other` form"));
        assert_eq!(w.t("unknown.key"), "unknown.key");
    }
}

/// Every key the program itself asks for exists in the built-in English
/// words: the keys written as literals in `t("..")`, `tf("..")`, `tn("..")`
/// and `tn_decimal("..")` calls under `src/`.
#[cfg(test)]
mod program_keys {
    #[test]
    fn every_key_the_code_uses_is_in_the_english_file() {
        let en = super::Words::english();
        let mut missing = Vec::new();
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
            let entry = entry.unwrap();
            // This file's own tests use made-up keys.
            if entry.path().extension().is_none_or(|e| e != "rs") || entry.path().ends_with("i18n/mod.rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for call in [".t(\"", ".tf(\"", ".tn(\"", ".tn_decimal(\""] {
                for (i, _) in text.match_indices(call) {
                    let rest = &text[i + call.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    seen += 1;
                    if !en.has(key) && !key.contains('{') {
                        missing.push(format!("{}: {key}", entry.path().display()));
                    }
                }
            }
        }
        assert!(seen > 50, "found only {seen} keys: is the scan still right?");
        assert!(missing.is_empty(), "keys missing from themes/horizon/i18n/en.toml:\n{}", missing.join("\n"));
    }
}
