//! Errors a user can act on: the file (relative to the site root), the line and
//! column, what is wrong and a hint. Rendered rustc-style with codespan-reporting.
//!
//! Every stage pushes [`Diagnostic`]s into one list instead of returning on the
//! first problem, so a build reports all of its errors together.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Chars, Config};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// Errors fail a build; warnings (the content report of `check`) do not,
/// unless `check --strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

/// One problem found in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// Byte range in the file's original text, when the problem has a place.
    pub span: Option<Range<usize>>,
    pub message: String,
    /// Short text printed under the underlined span.
    pub label: Option<String>,
    /// What to do about it ("did you mean ...").
    pub hint: Option<String>,
    /// A warning's stable code (`stale-story`; see `report::codes`), by
    /// which site.toml's `[check]` sets its level.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    pub fn new(file: impl Into<String>, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            span,
            message: message.into(),
            label: None,
            hint: None,
            code: None,
        }
    }

    pub fn at(file: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(file, Some(span), message)
    }

    /// A warning of `code` (one of `report::codes::CODES`): every warning
    /// has a code, so a site can allow or deny it.
    pub fn warning(mut self, code: &'static str) -> Self {
        debug_assert!(crate::report::codes::is_code(code), "unknown warning code {code}");
        self.severity = Severity::Warning;
        self.code = Some(code);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds the hint only when there is one (e.g. a "did you mean" that found a match).
    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }
}

/// The text of every file a diagnostic may point into, so spans can be turned
/// into line and column numbers when the report is printed.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// Shared, so `serve` can keep texts between rebuilds without copying them.
    texts: BTreeMap<String, Arc<str>>,
}

impl Sources {
    pub fn add(&mut self, file: &str, text: &str) {
        self.texts.insert(file.to_string(), text.into());
    }

    pub fn add_shared(&mut self, file: &str, text: Arc<str>) {
        self.texts.insert(file.to_string(), text);
    }

    pub fn get(&self, file: &str) -> Option<&str> {
        self.texts.get(file).map(|t| &**t)
    }

    /// 1-based line and column of a byte offset (column counted in characters).
    pub fn line_col(&self, file: &str, offset: usize) -> Option<(usize, usize)> {
        let text = self.get(file)?;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Some((line, text[line_start..offset].chars().count() + 1))
    }

    /// Renders all diagnostics as one plain-text report, sorted by file and
    /// position so the output is stable from build to build.
    pub fn render(&self, diagnostics: &[Diagnostic]) -> String {
        let sorted = sorted(diagnostics);
        let mut files = SimpleFiles::new();
        let mut ids = BTreeMap::new();
        for d in &sorted {
            ids.entry(d.file.clone())
                .or_insert_with(|| files.add(d.file.clone(), self.get(&d.file).unwrap_or("").to_string()));
        }
        let config = Config { chars: Chars::ascii(), ..Config::default() };
        let mut out = String::new();
        for d in sorted {
            let id = ids[&d.file];
            let severity = match d.severity {
                Severity::Error => codespan_reporting::diagnostic::Severity::Error,
                Severity::Warning => codespan_reporting::diagnostic::Severity::Warning,
            };
            let mut cs = CsDiagnostic::new(severity).with_message(&d.message);
            if let Some(code) = d.code {
                cs = cs.with_code(code);
            }
            let known = self.get(&d.file).is_some();
            match (&d.span, known) {
                (Some(span), true) => {
                    let text = self.get(&d.file).unwrap_or("");
                    let start = floor_char_boundary(text, span.start.min(text.len()));
                    let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
                    let mut l = Label::primary(id, start..end);
                    if let Some(label) = &d.label {
                        l = l.with_message(label);
                    }
                    cs = cs.with_labels(vec![l]);
                }
                _ => {
                    let where_ = match &d.label {
                        Some(label) => format!("in {}: {}", d.file, label),
                        None => format!("in {}", d.file),
                    };
                    cs = cs.with_notes(vec![where_]);
                }
            }
            if let Some(hint) = &d.hint {
                cs = cs.with_notes(vec![format!("help: {hint}")]);
            }
            match term::emit_into_string(&config, &files, &cs) {
                Ok(s) => out.push_str(&s),
                Err(_) => out.push_str(&format!("error: {}\n  = in {}\n", d.message, d.file)),
            }
        }
        out
    }
}

impl Sources {
    /// Diagnostics as JSON objects for CI annotations: severity, file,
    /// 1-based line and column of the start and end (null when unknown),
    /// message, label and hint.
    pub fn to_json(&self, diagnostics: &[Diagnostic]) -> Vec<serde_json::Value> {
        sorted(diagnostics)
            .into_iter()
            .map(|d| {
                let (start, end) = self.range(d);
                serde_json::json!({
                    "severity": if d.severity == Severity::Error { "error" } else { "warning" },
                    "file": d.file,
                    "line": start.map(|p| p.0), "column": start.map(|p| p.1),
                    "end_line": end.map(|p| p.0), "end_column": end.map(|p| p.1),
                    "code": d.code, "message": d.message, "label": d.label, "hint": d.hint,
                })
            })
            .collect()
    }
}

/// A 1-based (line, column) position in a source file.
pub type LineCol = (usize, usize);

impl Sources {
    /// 1-based (line, column) of the start and the end of a diagnostic's
    /// span, where it has one in a known file.
    pub fn range(&self, d: &Diagnostic) -> (Option<LineCol>, Option<LineCol>) {
        let pos = |at: Option<usize>| at.and_then(|o| self.line_col(&d.file, o));
        (pos(d.span.as_ref().map(|s| s.start)), pos(d.span.as_ref().map(|s| s.end)))
    }

    /// The diagnostics in report order (see [`sorted`]).
    pub fn sorted<'d>(&self, diagnostics: &'d [Diagnostic]) -> Vec<&'d Diagnostic> {
        sorted(diagnostics)
    }
}

/// By file and position, duplicates dropped, so reports are stable.
fn sorted(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.file, a.span.as_ref().map(|s| s.start), &a.message).cmp(&(
            &b.file,
            b.span.as_ref().map(|s| s.start),
            &b.message,
        ))
    });
    sorted.dedup();
    sorted
}

/// The largest char boundary at or below `i`, so spans never split a character.
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let mut s = Sources::default();
        s.add("a.md", "+++\nname = \"Zoë\"\nrole = 1\n");
        assert_eq!(s.line_col("a.md", 0), Some((1, 1)));
        let off = s.get("a.md").unwrap().find("role").unwrap();
        assert_eq!(s.line_col("a.md", off), Some((3, 1)));
        let off = s.get("a.md").unwrap().find("\"Zo").unwrap();
        assert_eq!(s.line_col("a.md", off), Some((2, 8)));
    }

    #[test]
    fn render_names_file_line_and_hint() {
        let mut s = Sources::default();
        s.add("content/stories/a.md", "+++\nrole = \"agnet\"\n+++\n");
        let d = Diagnostic::at("content/stories/a.md", 11..18, "unknown role `agnet`")
            .label("not in content/ladder.toml")
            .hint("did you mean `agent`?");
        let out = s.render(&[d]);
        assert!(out.contains("error: unknown role `agnet`"), "{out}");
        assert!(out.contains("content/stories/a.md:2:8"), "{out}");
        assert!(out.contains("help: did you mean `agent`?"), "{out}");
    }

    #[test]
    fn render_without_span_still_names_file() {
        let s = Sources::default();
        let out = s.render(&[Diagnostic::new("site.toml", None, "cannot read").hint("check permissions")]);
        assert!(out.contains("in site.toml"), "{out}");
        assert!(out.contains("help: check permissions"), "{out}");
    }
}
