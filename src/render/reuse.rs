//! What lets `serve` re-render only the pages an edit touches. Every page
//! gets a fingerprint of everything it is made from: the site-wide inputs
//! (site.toml, the ladder, navigation), its template and the templates that
//! one extends, includes or imports, the map's layout when it shows a map,
//! and what it shows of the stories it reads, in order: their front matter
//! and excerpt, or for a story's own page the whole file. A page whose
//! fingerprint is the one it had last time is not rendered again: its bytes
//! are reused. So an edit to the end of a story's body re-renders that
//! story's page alone. `storypath build` computes none of this.

use super::Output;
use crate::text::fingerprint;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What the last render made, each with the fingerprint of what it was
/// made from: pages by output path, story cards (with their HTML) by slug,
/// the map, every story's related stories, and the site-wide files.
/// Looked up by key only, never listed in order into an output, so hash
/// maps: tens of thousands of lookups per run.
#[derive(Default)]
pub struct Memo {
    pub pages: HashMap<String, (u64, Output)>,
    pub cards: HashMap<String, (u64, Arc<super::views::Card>)>,
    pub map: Option<(u64, Option<Arc<super::pages::Drawing>>)>,
    pub related: Option<(u64, Arc<Vec<Vec<crate::model::Ix>>>)>,
    /// Feed and share cards (they show titles and excerpts).
    pub shown_files: Option<(u64, Arc<Vec<Output>>)>,
    /// The search index (it holds every story's words, so a body edit
    /// makes it again, and only it).
    pub search: Option<(u64, Arc<Vec<Output>>)>,
    /// Sitemap, robots.txt and map.svg (they follow the site's structure).
    pub structure_files: Option<(u64, Arc<Vec<Output>>)>,
}

/// The inputs shared by many pages, fingerprinted once per render.
pub struct Inputs {
    pub global: u64,
    /// Of what is shown of every published story, in order: for pages
    /// that list them all.
    pub all_stories: u64,
    /// Of every published story's structure, in order (see
    /// `Story::structure`): for pages that count, name or map them all.
    pub structure: u64,
    pub layout: u64,
    /// Per template name: its text and the texts of everything it uses.
    pub templates: BTreeMap<String, u64>,
    /// Of `card.html`, `journey.html` (rendered once per story),
    /// `opening.html` (once per opening) and `job_role.html` (once per
    /// hiring role), which are pasted into pages: part of every page's
    /// fingerprint.
    pub fragments: u64,
}

/// Per template, the fingerprint of its text and of every template it
/// reaches through `extends`, `include` and `import`. A template that names
/// another through a variable could use any of them, so it depends on all.
pub fn template_fingerprints(templates: &BTreeMap<String, (String, String)>) -> BTreeMap<String, u64> {
    let uses: BTreeMap<&str, Option<Vec<String>>> =
        templates.iter().map(|(name, (text, _))| (name.as_str(), used_templates(text))).collect();
    let all = fingerprint(&templates.values().map(|(t, _)| t.as_str()).collect::<Vec<_>>());
    templates
        .keys()
        .map(|name| {
            let mut seen = std::collections::BTreeSet::new();
            let mut stack = vec![name.as_str()];
            let mut dynamic = false;
            while let Some(n) = stack.pop() {
                if !seen.insert(n) {
                    continue;
                }
                match uses.get(n) {
                    Some(Some(list)) => stack.extend(list.iter().map(String::as_str)),
                    Some(None) => dynamic = true,
                    None => {}
                }
            }
            let fp = if dynamic {
                all
            } else {
                fingerprint(&seen.iter().map(|n| templates.get(*n).map(|(t, _)| t.as_str())).collect::<Vec<_>>())
            };
            (name.clone(), fp)
        })
        .collect()
}

/// The templates a template names in `{% extends %}`, `{% include %}` and
/// `{% import %}` tags; `None` when one of them names it with a variable.
fn used_templates(text: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let after = &rest[start + 2..];
        let end = after.find("%}").unwrap_or(after.len());
        let tag = after[..end].trim_start_matches(['-', ' ', '\t', '\n', '\r']);
        let keyword = tag.split_whitespace().next().unwrap_or("");
        if matches!(keyword, "extends" | "include" | "import") {
            let args = &tag[keyword.len()..];
            let names: Vec<&str> = args.split('"').skip(1).step_by(2).collect();
            let quoted_first = args.trim_start().starts_with(['"', '[']);
            if names.is_empty() || !quoted_first {
                return None;
            }
            out.extend(names.into_iter().map(String::from));
        }
        rest = &after[end..];
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(list: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
        list.iter().map(|(n, t)| (n.to_string(), (t.to_string(), format!("templates/{n}")))).collect()
    }

    #[test]
    fn finds_extends_include_and_import() {
        let t = r#"{% extends "base.html" %}{% import "macros.html" as m %}{%- include ["a.html", "b.html"] -%}"#;
        assert_eq!(
            used_templates(t),
            Some(vec!["base.html".into(), "macros.html".into(), "a.html".into(), "b.html".into()])
        );
        assert_eq!(used_templates("{% include name %}"), None);
        assert_eq!(used_templates("{% if x %}{% endif %}"), Some(vec![]));
    }

    #[test]
    fn a_change_reaches_only_the_templates_that_use_it() {
        let before = set(&[
            ("base.html", "B"),
            ("story.html", r#"{% extends "base.html" %}S"#),
            ("role.html", r#"{% extends "base.html" %}R"#),
        ]);
        let mut after = before.clone();
        after.get_mut("story.html").unwrap().0.push('!');
        let (a, b) = (template_fingerprints(&before), template_fingerprints(&after));
        assert_ne!(a["story.html"], b["story.html"]);
        assert_eq!(a["role.html"], b["role.html"]);
        after.get_mut("base.html").unwrap().0.push('!');
        let c = template_fingerprints(&after);
        assert_ne!(a["role.html"], c["role.html"]);
    }
}
