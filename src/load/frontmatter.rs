//! Splits a Markdown file into its `+++` TOML front matter and its body,
//! keeping byte offsets so errors point at lines of the `.md` file.

use crate::diagnostics::Diagnostic;
use std::ops::Range;

/// The two parts of a content file, as ranges of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The TOML between the `+++` lines.
    pub front: Range<usize>,
    /// The Markdown after the closing `+++` line.
    pub body: Range<usize>,
    /// The opening `+++` line, where "missing key" errors point.
    pub opening: Range<usize>,
}

/// Finds the front matter. `text` may start with a BOM and use CRLF line ends.
pub fn split(file: &str, text: &str) -> Result<Split, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut lines = LineIter { text, pos: start };
    let first_line = if text[start..].trim().is_empty() { None } else { lines.next() };
    let Some((first, first_range)) = first_line else {
        return Err(Diagnostic::at(file, 0..0, "the file is empty").hint(
            "start it with a `+++` line, the TOML front matter (title, name, date, role), and a closing `+++` line",
        ));
    };
    if first.trim_end() != "+++" {
        let end = first_range.start + first.len();
        return Err(Diagnostic::at(file, first_range.start..end, "missing front matter")
            .label("expected `+++` on the first line")
            .hint("start the file with a `+++` line, the TOML front matter, then a closing `+++` line"));
    }
    let front_start = first_range.end;
    for (line, range) in lines.by_ref() {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front: front_start..range.start,
                body: range.end..text.len(),
                opening: first_range.start..first_range.start + 3,
            });
        }
    }
    Err(Diagnostic::at(file, first_range.start..first_range.start + 3, "unterminated front matter")
        .label("opened here, never closed")
        .hint("add a line with only `+++` after the front matter"))
}

/// Iterates lines with their ranges (range includes the line end).
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (&'a str, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let (line, len) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        let range = self.pos..self.pos + len;
        self.pos += len;
        Some((line.strip_suffix('\r').unwrap_or(line), range))
    }
}

/// Splits `text` and parses its front matter as TOML; problems go to
/// `errors`. The returned reader reports positions in the `.md` file, not in
/// the extracted TOML.
pub fn parse<'t>(
    file: &'t str,
    text: &'t str,
    errors: &mut Vec<Diagnostic>,
) -> Option<(toml::de::DeTable<'t>, super::fields::Reader<'t>, Split)> {
    let parts = split(file, text).map_err(|d| errors.push(d)).ok()?;
    let mut reader = super::fields::Reader::new(file, parts.front.start);
    match reader.parse(&text[parts.front.clone()]) {
        Some(table) => Some((table, reader, parts)),
        None => {
            errors.append(&mut reader.errors);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_offsets() {
        let text = "+++\ntitle = \"x\"\n+++\nBody\n";
        let s = split("a.md", text).unwrap();
        assert_eq!(&text[s.front.clone()], "title = \"x\"\n");
        assert_eq!(&text[s.body.clone()], "Body\n");
    }

    #[test]
    fn handles_bom_and_crlf() {
        let text = "\u{feff}+++\r\ntitle = \"x\"\r\n+++\r\nBody";
        let s = split("a.md", text).unwrap();
        assert_eq!(&text[s.front.clone()], "title = \"x\"\r\n");
        assert_eq!(&text[s.body.clone()], "Body");
    }

    #[test]
    fn reports_missing_and_unterminated() {
        assert_eq!(split("a.md", "").unwrap_err().message, "the file is empty");
        assert_eq!(split("a.md", "# Hi\n").unwrap_err().message, "missing front matter");
        assert_eq!(split("a.md", "+++\ntitle = 1\n").unwrap_err().message, "unterminated front matter");
    }
}
