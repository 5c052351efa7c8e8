//! `[languages]` in site.toml: the languages of a multilingual site, and
//! the language code a content file carries in its name
//! (`ada-okafor.fr.md`, the Zola and Hugo convention).
//!
//! What was decided where the contract is silent:
//! - `[languages] default` names the default language; without it, the
//!   top-level `language`. Giving both, different, is an error.
//! - Each other language is a table `[languages.<code>]` with optional
//!   `title`, `description`, `cta = { label, url }` (each falls back to the
//!   top-level one) and `path`, the URL folder of its pages (default: the
//!   code in lower case, so `/fr/`). The default language's own table may
//!   set `path` too, which puts it in a folder (Hugo's
//!   `defaultContentLanguageInSubdir`); `default_in_subdir = true` does the
//!   same with the code as folder. The site's root then holds a page that
//!   links to every language's home and sends browsers to the default one.

use super::config::{read_cta, Cta, FILE};
use super::fields::{first_line, Reader, Sp};
use crate::diagnostics::Diagnostic;

/// One language of the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// As written in site.toml and in file names: `fr`, `pt-BR`.
    pub code: Sp<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub cta: Option<Cta>,
    /// The folder of its pages under the base path, with a trailing `/`
    /// (`fr/`); empty for a default language at the root.
    pub prefix: String,
}

/// The language a file name carries before `.md` (`ada.fr.md` -> `fr`),
/// and the stem without it. A last dotted part is a language code when it
/// reads as one: two or three letters, then optional `-` subtags of
/// letters and digits (`pt-BR`, `zh-Hant`).
pub fn split_file_lang(stem: &str) -> (&str, Option<&str>) {
    match stem.rsplit_once('.') {
        Some((base, code)) if !base.is_empty() && is_language_code(code) => (base, Some(code)),
        _ => (stem, None),
    }
}

/// The language code in a content file's name (`content/stories/ada.fr.md`).
pub fn file_lang(file: &str) -> Option<String> {
    let stem = std::path::Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or("");
    split_file_lang(stem).1.map(str::to_string)
}

/// Whether `code` has the shape of a BCP 47 language tag that storypath
/// accepts (and that ICU can read).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && code.parse::<icu_locale_core::LanguageIdentifier>().is_ok()
}

/// Reads `[languages]`: the site's languages, the default first, then the
/// others in the file's order. `language` is the top-level `language`
/// (where it was written, if it was).
pub fn read(
    r: &mut Reader,
    text: &str,
    table: Option<(&toml::de::DeTable<'_>, std::ops::Range<usize>)>,
    language: &Sp<String>,
) -> Vec<Language> {
    let plain = |code: Sp<String>| Language { code, title: None, description: None, cta: None, prefix: String::new() };
    let Some((t, _)) = table else {
        return vec![plain(language.clone())];
    };
    let mut default = language.clone();
    let mut in_subdir = false;
    let mut list: Vec<Language> = Vec::new();
    for (k, _) in t.iter() {
        let key: &str = k.get_ref();
        match key {
            "default" => {
                if let Some(d) = r.str(t, "default") {
                    if language.span != (0..0) && d.value != language.value {
                        r.errors.push(
                            Diagnostic::at(
                                FILE,
                                d.span.clone(),
                                format!(
                                    "`[languages] default = \"{}\"` differs from `language = \"{}\"`",
                                    d.value, language.value
                                ),
                            )
                            .hint("name the default language once: drop `language`, or make the two agree"),
                        );
                    }
                    default = d;
                }
            }
            "default_in_subdir" => in_subdir = r.bool(t, key).unwrap_or(false),
            _ => {
                let span = r.abs(k.span());
                if !is_language_code(key) {
                    r.errors.push(
                        Diagnostic::at(FILE, span, format!("`[languages.{key}]`: `{key}` is not a language code"))
                            .hint("use the code of the language, like [languages.fr] or [languages.pt-BR]"),
                    );
                    continue;
                }
                let Some((lt, _)) = r.table(t, key) else { continue };
                r.unknown_keys(lt, &["title", "description", "cta", "path"], &format!("[languages.{key}]"));
                let mut lang = plain(Sp::new(key.to_string(), span));
                lang.title = r.str(lt, "title").map(|s| s.value);
                lang.description = r.str(lt, "description").map(|s| s.value);
                if let Some((cta, cspan)) = r.table(lt, "cta") {
                    let at = first_line(text, &cspan);
                    lang.cta = read_cta(r, cta, &at, &format!("[languages.{key}.cta]"));
                }
                lang.prefix = match r.str(lt, "path") {
                    Some(p) => {
                        let folder = p.value.trim_matches('/');
                        if folder.is_empty() || !crate::ids::is_valid(folder) {
                            r.errors.push(
                                Diagnostic::at(FILE, p.span, format!("`path` `{}` is not a folder name", p.value))
                                    .hint(format!(
                                        "use lower-case letters, digits and -, like path = \"{}\"",
                                        key.to_lowercase()
                                    )),
                            );
                        }
                        format!("{folder}/")
                    }
                    None => format!("{}/", key.to_lowercase()),
                };
                list.push(lang);
            }
        }
    }
    // The default language: its own table if it has one, else a plain entry.
    let i = match list.iter().position(|l| l.code.value == default.value) {
        Some(i) => i,
        None => {
            let mut d = plain(default.clone());
            d.prefix = format!("{}/", default.value.to_lowercase());
            list.push(d);
            list.len() - 1
        }
    };
    let mut d = list.remove(i);
    let explicit = match t.get(d.code.value.as_str()).map(|v| v.get_ref()) {
        Some(toml::de::DeValue::Table(lt)) => lt.get("path").is_some(),
        _ => false,
    };
    if !in_subdir && !explicit {
        d.prefix.clear();
    }
    list.insert(0, d);
    let mut seen: Vec<&str> = Vec::new();
    for l in &list {
        if !l.prefix.is_empty() && seen.contains(&l.prefix.as_str()) {
            r.errors.push(
                Diagnostic::at(FILE, l.code.span.clone(), format!("two languages use the folder /{}", l.prefix))
                    .hint("give each language its own `path`"),
            );
        }
        seen.push(&l.prefix);
    }
    list
}

/// The index in `config.languages` of a file's language code (`None` in
/// its name: the default language, 0), matched without regard to case;
/// `None` for a code that is not a language of the site.
impl super::config::Config {
    pub fn lang_index(&self, code: Option<&str>) -> Option<usize> {
        match code {
            None => Some(0),
            Some(code) => self.languages.iter().position(|l| l.code.value.eq_ignore_ascii_case(code)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_carry_language_codes() {
        assert_eq!(split_file_lang("ada-okafor.fr"), ("ada-okafor", Some("fr")));
        assert_eq!(split_file_lang("ada.pt-BR"), ("ada", Some("pt-BR")));
        assert_eq!(split_file_lang("ada-okafor"), ("ada-okafor", None));
        assert_eq!(split_file_lang("v1.2"), ("v1.2", None));
        assert_eq!(split_file_lang(".fr"), (".fr", None));
    }
}
