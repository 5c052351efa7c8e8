//! Typed reading of TOML tables that keeps every value's position.
//!
//! serde stops at the first error and loses positions of missing or unknown
//! keys; walking toml's spanned `DeTable` by hand lets one pass report every
//! problem of a file with its line, column and a hint.

use crate::diagnostics::Diagnostic;
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub type Span = Range<usize>;

/// A value with its byte range in the original file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

/// A calendar date from a TOML date (the time part, if any, is ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Reading state for one file: where its TOML text starts and the errors so far.
pub struct Reader<'f> {
    pub file: &'f str,
    /// Byte offset of the TOML text inside the file (non-zero for front matter).
    pub offset: usize,
    pub errors: Vec<Diagnostic>,
    /// Keys suggested for unknown keys ("did you mean `name`?"): a missing
    /// required key that was suggested is not reported a second time.
    suggested: Vec<String>,
}

type Value<'i> = Spanned<DeValue<'i>>;

impl<'f> Reader<'f> {
    pub fn new(file: &'f str, offset: usize) -> Self {
        Reader { file, offset, errors: Vec::new(), suggested: Vec::new() }
    }

    /// Moves a span of the TOML text to a span of the whole file.
    pub fn abs(&self, span: Span) -> Span {
        span.start + self.offset..span.end + self.offset
    }

    pub fn error(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        let span = self.abs(span);
        self.errors.push(Diagnostic::at(self.file, span, message));
        self.errors.last_mut().expect("just pushed")
    }

    /// Parses TOML text, reporting a syntax error at its place.
    pub fn parse<'i>(&mut self, text: &'i str) -> Option<DeTable<'i>> {
        match DeTable::parse(text) {
            Ok(t) => Some(t.into_inner()),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let mut lines = e.message().trim().lines();
                let first = lines.next().unwrap_or("invalid TOML").to_string();
                let rest: Vec<&str> = lines.collect();
                let d = self.error(span, format!("TOML syntax error: {first}"));
                if !rest.is_empty() {
                    d.label = Some(rest.join(" "));
                }
                d.hint = Some("strings go in quotes, dates are written bare like 2019-05-02, lists use [ ]".into());
                None
            }
        }
    }

    fn wrong_type(&mut self, key: &str, v: &Value<'_>, expected: &str, example: &str) {
        let found = describe(v.get_ref());
        let hint = if let (DeValue::String(s), "a date", true) = (
            v.get_ref(),
            expected,
            v.get_ref().as_str().is_some_and(|s| s.parse::<toml::value::Datetime>().is_ok_and(|d| d.date.is_some())),
        ) {
            format!("write it without quotes: {key} = {s}")
        } else {
            format!("write it like {example}")
        };
        self.error(v.span(), format!("`{key}` must be {expected}, found {found}")).hint = Some(hint);
    }

    /// Reports a required key that is absent, at `at`: a span of the whole
    /// file (the table's first line, or a story's opening `+++`).
    pub fn missing(&mut self, at: Span, key: &str, what: &str, example: &str) {
        if self.suggested.iter().any(|k| k == key) {
            return;
        }
        self.errors.push(
            Diagnostic::at(self.file, at, format!("missing required key `{key}` in {what}"))
                .hint(format!("add {example}")),
        );
    }

    pub fn str(&mut self, t: &DeTable<'_>, key: &str) -> Option<Sp<String>> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Sp::new(s.to_string(), self.abs(v.span()))),
            _ => {
                self.wrong_type(key, v, "a string", &format!("{key} = \"...\""));
                None
            }
        }
    }

    pub fn req_str(&mut self, t: &DeTable<'_>, key: &str, at: &Span, what: &str) -> Option<Sp<String>> {
        if t.get(key).is_none() {
            self.missing(at.clone(), key, what, &format!("{key} = \"...\""));
            return None;
        }
        let s = self.str(t, key)?;
        if s.value.trim().is_empty() {
            self.errors.push(
                Diagnostic::at(self.file, s.span.clone(), format!("`{key}` is empty"))
                    .hint(format!("write the {key} between the quotes")),
            );
        }
        Some(s)
    }

    pub fn bool(&mut self, t: &DeTable<'_>, key: &str) -> Option<bool> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, v, "true or false", &format!("{key} = true"));
                None
            }
        }
    }

    pub fn int(&mut self, t: &DeTable<'_>, key: &str) -> Option<Sp<i64>> {
        let v = t.get(key)?;
        if let DeValue::Integer(i) = v.get_ref() {
            let digits = i.as_str().replace('_', "");
            if let Ok(n) = i64::from_str_radix(&digits, i.radix()) {
                return Some(Sp::new(n, self.abs(v.span())));
            }
            self.error(v.span(), format!("`{key}` is too large")).hint = Some("use a smaller whole number".into());
            return None;
        }
        self.wrong_type(key, v, "a whole number", &format!("{key} = 3"));
        None
    }

    /// A calendar date. As DESIGN.md says, a TOML date (`2019-05-02`), a
    /// TOML date and time, with or without an offset (`2019-05-02T10:00:00Z`:
    /// the day as written, not moved to another time zone) and a quoted
    /// `"2019-05-02"` (what CMS editors write) all mean the same day.
    /// Anything else is an error that says what was found: a time of day
    /// alone, a string that is not `YYYY-MM-DD`, a day the calendar lacks.
    pub fn date(&mut self, t: &DeTable<'_>, key: &str) -> Option<Sp<Date>> {
        let v = t.get(key)?;
        let example = format!("{key} = 2019-05-02");
        match v.get_ref() {
            DeValue::Datetime(dt) => match dt.date {
                Some(d) => return Some(Sp::new(Date { year: d.year, month: d.month, day: d.day }, self.abs(v.span()))),
                None => {
                    self.error(v.span(), format!("`{key}` must be a date, found only a time of day")).hint = Some(
                        format!("write the day, like {example} (a time after it, 2019-05-02T10:00:00, is allowed)"),
                    );
                }
            },
            DeValue::String(s) => match quoted_date(s) {
                Ok(d) => return Some(Sp::new(d, self.abs(v.span()))),
                Err(Some(why)) => {
                    self.error(v.span(), format!("`{key}` is not a day of the calendar: {why}")).hint =
                        Some(format!("write a real day, like {example}"));
                }
                Err(None) => self.wrong_type(key, v, "a date", &example),
            },
            _ => self.wrong_type(key, v, "a date", &example),
        }
        None
    }

    /// The items of an array under `key` that `pick` accepts; `what` names
    /// the array and `hint` says how to write it when it or an item is wrong.
    fn list_of<'t, 'i, T>(
        &mut self,
        t: &'t DeTable<'i>,
        key: &str,
        what: (&str, &str),
        hint: &str,
        pick: impl Fn(&'t DeValue<'i>) -> Option<T>,
    ) -> Vec<(T, Span)> {
        let Some(v) = t.get(key) else { return Vec::new() };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, what.0, hint);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match pick(item.get_ref()) {
                Some(x) => out.push((x, item.span())),
                None => {
                    let found = describe(item.get_ref());
                    self.error(item.span(), format!("each item of `{key}` must be {}, found {found}", what.1)).hint =
                        Some(format!("write it like {hint}"));
                }
            }
        }
        out
    }

    /// A list of strings; a single string is not accepted, to keep files uniform.
    pub fn str_list(&mut self, t: &DeTable<'_>, key: &str) -> Vec<Sp<String>> {
        let hint = format!("{key} = [\"a\", \"b\"]");
        let pick = |v: &DeValue<'_>| v.as_str().map(str::to_string);
        let items = self.list_of(t, key, ("a list of strings", "a string"), &hint, pick);
        items.into_iter().map(|(s, span)| Sp::new(s, self.abs(span))).collect()
    }

    /// The tables of an array of tables (`[[role]]`), with their spans.
    pub fn tables<'t, 'i>(&mut self, t: &'t DeTable<'i>, key: &str) -> Vec<(&'t DeTable<'i>, Span)> {
        let hint = format!("[[{key}]] headers");
        self.list_of(t, key, ("an array of tables", "a table"), &hint, |v| match v {
            DeValue::Table(inner) => Some(inner),
            _ => None,
        })
    }

    pub fn table<'t, 'i>(&mut self, t: &'t DeTable<'i>, key: &str) -> Option<(&'t DeTable<'i>, Span)> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::Table(inner) => Some((inner, v.span())),
            _ => {
                self.wrong_type(key, v, "a table", &format!("[{key}]"));
                None
            }
        }
    }

    /// Reports every key of `t` not in `allowed`, suggesting the closest one.
    pub fn unknown_keys(&mut self, t: &DeTable<'_>, allowed: &[&str], what: &str) {
        for (k, _) in t.iter() {
            let key: &str = k.get_ref();
            if !allowed.contains(&key) {
                let hint = match crate::text::closest(key, allowed.iter().copied()) {
                    Some(c) => {
                        self.suggested.push(c.to_string());
                        format!("did you mean `{c}`?")
                    }
                    None => format!("known keys are {}; put custom data under [extra]", allowed.join(", ")),
                };
                self.error(k.span(), format!("unknown key `{key}` in {what}")).hint = Some(hint);
            }
        }
    }

    /// A table's free-form content as JSON for templates (dates become strings).
    pub fn json(&mut self, t: &DeTable<'_>) -> serde_json::Value {
        to_json(&DeValue::Table(t.clone()))
    }
}

/// A quoted `YYYY-MM-DD`. `Err(None)`: not of that shape; `Err(Some(why))`:
/// of that shape but no such day (`2019-02-30`), said in words.
pub(crate) fn quoted_date(s: &str) -> Result<Date, Option<String>> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(None);
    }
    let num = |r: Range<usize>| s[r].parse::<u16>().unwrap_or(0);
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    if !(1..=12).contains(&month) {
        return Err(Some(format!("there is no month {month:02}")));
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 || day > days {
        return Err(Some(format!("{s} does not exist (that month has {days} days)")));
    }
    Ok(Date { year, month: month as u8, day: day as u8 })
}

fn describe(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::Datetime(dt) => match (dt.date, dt.time) {
            (Some(_), None) => "a date",
            (Some(_), Some(_)) => "a date and time",
            _ => "a time of day",
        },
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// Converts a TOML value to JSON for templates.
pub fn to_json(v: &DeValue<'_>) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        DeValue::String(s) => J::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map(J::from)
            .unwrap_or_else(|_| J::String(i.as_str().to_string())),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(J::Number)
            .unwrap_or(J::Null),
        DeValue::Boolean(b) => J::Bool(*b),
        DeValue::Datetime(d) => J::String(d.to_string()),
        DeValue::Array(a) => J::Array(a.iter().map(|x| to_json(x.get_ref())).collect()),
        DeValue::Table(t) => {
            J::Object(t.iter().map(|(k, v)| (k.get_ref().to_string(), to_json(v.get_ref()))).collect())
        }
    }
}

/// The span of the first line of `span` in `text`, for pointing at a table
/// header instead of underlining a whole table.
pub fn first_line(text: &str, span: &Span) -> Span {
    let start = span.start.min(text.len());
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    start..end.min(span.end.max(start + 1)).max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_problem_with_positions() {
        let text = "title = 3\ndate = \"May 2019\"\nnmae = \"x\"\n";
        let mut r = Reader::new("a.md", 4);
        let t = r.parse(text).unwrap();
        assert!(r.str(&t, "title").is_none());
        assert!(r.date(&t, "date").is_none());
        r.unknown_keys(&t, &["title", "date", "name"], "the front matter");
        assert_eq!(r.errors.len(), 3);
        assert_eq!(r.errors[0].span, Some(12..13));
        assert!(r.errors[1].hint.as_deref().unwrap().contains("date = 2019-05-02"));
        assert_eq!(r.errors[2].hint.as_deref(), Some("did you mean `name`?"));
    }

    fn date_of(value: &str) -> (Option<Date>, Vec<Diagnostic>) {
        let text = format!("date = {value}\n");
        let mut r = Reader::new("a.md", 0);
        let t = r.parse(&text).unwrap();
        (r.date(&t, "date").map(|d| d.value), r.errors)
    }

    #[test]
    fn a_datetime_or_a_quoted_day_is_the_same_date() {
        let day = Some(Date { year: 2019, month: 5, day: 2 });
        for v in
            ["2019-05-02", "2019-05-02T10:00:00Z", "2019-05-02T23:30:00-08:00", "2019-05-02T10:00:00", "\"2019-05-02\""]
        {
            let (d, errors) = date_of(v);
            assert_eq!(d, day, "{v}: {errors:?}");
            assert!(errors.is_empty(), "{v}: {errors:?}");
        }
        assert_eq!(date_of("\"2024-02-29\"").0, Some(Date { year: 2024, month: 2, day: 29 }));
    }

    #[test]
    fn what_is_not_a_date_is_named_accurately() {
        let message = |v: &str| {
            let (d, errors) = date_of(v);
            assert!(d.is_none(), "{v} was taken as a date");
            assert_eq!(errors.len(), 1, "{v}: {errors:?}");
            let e = &errors[0];
            assert!(!e.message.contains("found a date"), "{v}: {}", e.message);
            format!("{} | {}", e.message, e.hint.as_deref().unwrap_or(""))
        };
        assert!(message("10:00:00").contains("found only a time of day"), "{}", message("10:00:00"));
        assert!(message("10:00:00").contains("date = 2019-05-02"));
        assert!(message("\"June 2021\"").contains("must be a date, found a string"));
        assert!(message("\"2019-02-29\"").contains("2019-02-29 does not exist (that month has 28 days)"));
        assert!(message("\"2019-13-01\"").contains("there is no month 13"));
        assert!(message("\"2019-05-02T10:00:00Z\"").contains("without quotes: date = 2019-05-02T10:00:00Z"));
        assert!(message("20190502").contains("found a number"));
    }

    #[test]
    fn other_keys_name_a_datetime_for_what_it_is() {
        let mut r = Reader::new("a.md", 0);
        let t = r.parse("a = 2019-05-02T10:00:00Z\nb = 10:00:00\nc = 2019-05-02\n").unwrap();
        assert!(r.str(&t, "a").is_none() && r.str(&t, "b").is_none() && r.str(&t, "c").is_none());
        let messages: Vec<&str> = r.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`a` must be a string, found a date and time",
                "`b` must be a string, found a time of day",
                "`c` must be a string, found a date"
            ]
        );
    }

    #[test]
    fn syntax_error_is_located() {
        let mut r = Reader::new("site.toml", 0);
        assert!(r.parse("title = \"open\nx = 1\n").is_none());
        assert_eq!(r.errors.len(), 1);
        assert!(r.errors[0].message.starts_with("TOML syntax error"));
    }
}
