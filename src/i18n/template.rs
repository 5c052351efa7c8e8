//! The templates' side of the words: Tera's `t(key=..., n=..., name=...)`,
//! and the check that every key a template names exists, made when the
//! templates compile so a typo is a located error, not a word missing from
//! every page.

use super::Words;
use crate::diagnostics::{Diagnostic, Sources};
use std::collections::HashMap;
use std::sync::Arc;

/// `t(key="nav.stories")`: the text of a key in the page's language.
/// `n=3` picks the plural form and fills `{n}`; any other argument fills
/// the placeholder of its name; `forms=true` gives every plural form as a
/// map (for scripts). The result is escaped like any value.
pub struct Translate(pub Arc<Words>);

impl tera::Function for Translate {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = match args.get("key") {
            Some(tera::Value::String(k)) => k.as_str(),
            _ => return Err(tera::Error::msg("t() needs key=\"...\", the name of a UI string")),
        };
        if !self.0.has(key) {
            return Err(tera::Error::msg(format!("unknown UI string `{key}`: add it to i18n/{}.toml", super::BASE)));
        }
        // `forms=true`: every plural form, for a script (`data-…` attributes).
        if args.get("forms").and_then(tera::Value::as_bool) == Some(true) {
            return Ok(tera::to_value(self.0.forms(key))?);
        }
        let mut named: Vec<(&str, String)> =
            args.iter().filter(|(k, _)| *k != "key" && *k != "n").map(|(k, v)| (k.as_str(), value_text(v))).collect();
        named.sort();
        let pairs: Vec<(&str, &str)> = named.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let text = match args.get("n") {
            Some(n) => match n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)) {
                Some(n) => self.0.tn(key, n, &pairs),
                None => return Err(tera::Error::msg(format!("t(key=\"{key}\", n=...) needs a count, found {n}"))),
            },
            None => self.0.tf(key, &pairs),
        };
        Ok(tera::Value::String(text))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

fn value_text(v: &tera::Value) -> String {
    match v {
        tera::Value::String(s) => s.clone(),
        tera::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Every `t(key="...")` of a template whose key neither the page's language
/// nor English has: an error at the key, with the closest known key.
pub fn check_keys(text: &str, file: &str, words: &Words, sources: &mut Sources, errors: &mut Vec<Diagnostic>) {
    for (at, key) in literal_keys(text) {
        if words.has(key) {
            continue;
        }
        let close = crate::text::closest(key, words.keys());
        sources.add(file, text);
        let mut d = Diagnostic::at(file, at..at + key.len(), format!("unknown UI string `{key}`"))
            .label("no i18n file has this key");
        d = match close {
            Some(k) => d.hint(format!("did you mean `{k}`? Or add `{key}` to i18n/{}.toml", super::BASE)),
            None => d.hint(format!("add `{key}` to i18n/{}.toml of the site or theme", super::BASE)),
        };
        errors.push(d);
    }
}

/// The keys written as literals in `t(key="...")` or `t(key='...')`, with
/// their byte offsets.
fn literal_keys(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("t(") {
        let start = from + i;
        from = start + 2;
        // `t(` as a whole name: not `list(` or `first(`.
        if text[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let rest = text[from..].trim_start();
        let Some(rest) = rest.strip_prefix("key") else { continue };
        let Some(rest) = rest.trim_start().strip_prefix('=') else { continue };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
        let body = &rest[1..];
        let Some(end) = body.find(quote) else { continue };
        let offset = text.len() - body.len();
        out.push((offset, &body[..end]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_keys_are_found_with_their_place() {
        let t = r#"<a>{{ t(key="nav.stories") }}</a>{{ list(key="x") }}{{ t( key = 'a.b', n=2) }}"#;
        let keys = literal_keys(t);
        assert_eq!(keys.iter().map(|k| k.1).collect::<Vec<_>>(), ["nav.stories", "a.b"]);
        assert_eq!(&t[keys[0].0..keys[0].0 + 11], "nav.stories");
    }
}
