//! The content report of a multilingual site: what a language lacks.
//! Stories not translated into a language are left out of it (they appear
//! only in the languages they are written in), ladder words not translated
//! are shown in the default language, and UI words in English: each is a
//! warning naming the file to add or the table to fill.

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use std::collections::BTreeSet;

/// How many slugs a warning names before "and N more".
const NAMED: usize = 5;

/// Every language's warnings; `others` are the languages after the default.
pub fn warnings(default: &Site, others: &[(Site, tera::Tera)]) -> Vec<Diagnostic> {
    if others.is_empty() {
        return Vec::new();
    }
    let sites: Vec<&Site> = std::iter::once(default).chain(others.iter().map(|(s, _)| s)).collect();
    let all: BTreeSet<&str> = sites.iter().flat_map(|s| s.stories.iter().map(|st| st.slug.value.as_str())).collect();
    let mut out = Vec::new();
    for s in &sites {
        let code = &s.config.language;
        let own: BTreeSet<&str> = s.stories.iter().map(|st| st.slug.value.as_str()).collect();
        let missing: Vec<&str> = all.difference(&own).copied().collect();
        if let Some(first) = missing.first() {
            let mut named = missing.iter().take(NAMED).map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
            if missing.len() > NAMED {
                named.push_str(&format!(" and {} more", missing.len() - NAMED));
            }
            let n = missing.len();
            let suffix = if s.lang == 0 { String::new() } else { format!(".{code}") };
            out.push(
                Diagnostic::new(
                    "content/stories/",
                    None,
                    format!("{n} stor{} not in `{code}`: {named}", if n == 1 { "y is" } else { "ies are" }),
                )
                .warning("untranslated-story")
                .label(format!("readers of `{code}` do not see {}", if n == 1 { "it" } else { "them" }))
                .hint(format!(
                    "translate into content/stories/{first}{suffix}.md (storypath new story --translate {first} --lang {code})"
                )),
            );
        }
        if let Some((_, at)) = s.untranslated.first() {
            let n = s.untranslated.len();
            let named: Vec<&str> = s.untranslated.iter().take(NAMED).map(|(what, _)| what.as_str()).collect();
            out.push(
                Diagnostic::at(crate::load::ladder::FILE, at.clone(), format!("{n} ladder entr{} not fully in `{code}`: {}{}", if n == 1 { "y is" } else { "ies are" }, named.join(", "), if n > NAMED { ", ..." } else { "" }))
                    .warning("untranslated-ladder")
                    .label(format!("shown in `{}` on the `{code}` pages", default.config.language))
                    .hint(format!("add [role.translations.{code}] (title, summary, skills) or [track.translations.{code}] (name, description) after the entry")),
            );
        }
        if s.lang > 0 {
            out.extend(s.words.warnings());
        }
    }
    out
}
