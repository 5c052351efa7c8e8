//! `storypath jobs pull`: reads an applicant-tracking system's public job
//! board (Greenhouse, Lever or Ashby; no API key) or a saved export of one,
//! and writes the normalised jobs file ([`crate::load::jobs_file`]).
//!
//! This is the only part of storypath that touches the network; `build`
//! reads the file it writes. Everything is fetched and checked before
//! anything is written, and the file is replaced in one step (a temporary
//! file in the same folder, then a rename), so a failed pull leaves the
//! previous jobs file exactly as it was. The same responses give the same
//! bytes: the file is sorted by id ([`JobsFile::to_text`]).
//!
//! `STORYPATH_ATS_BASE` (for tests and mirrors) replaces the scheme and host
//! of the three APIs' URLs, e.g. `http://127.0.0.1:8080`.

mod ashby;
mod greenhouse;
mod http;
mod lever;

use crate::load::jobs_file::{JobRecord, JobsFile};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The environment variable that replaces the APIs' scheme and host.
pub const BASE_ENV: &str = "STORYPATH_ATS_BASE";

/// The applicant-tracking systems storypath reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ats {
    Greenhouse,
    Lever,
    Ashby,
}

impl Ats {
    pub fn name(self) -> &'static str {
        match self {
            Ats::Greenhouse => "greenhouse",
            Ats::Lever => "lever",
            Ats::Ashby => "ashby",
        }
    }

    /// "a Greenhouse job board", "an Ashby job board".
    fn a_label(self) -> String {
        let article = if self == Ats::Ashby { "an" } else { "a" };
        format!("{article} {}", self.label())
    }

    fn label(self) -> &'static str {
        match self {
            Ats::Greenhouse => "Greenhouse job board",
            Ats::Lever => "Lever postings list",
            Ats::Ashby => "Ashby job board",
        }
    }
}

/// Where the openings come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The ATS's public API, for a board (Greenhouse), company (Lever) or
    /// organisation (Ashby) name.
    Api { ats: Ats, name: String },
    /// A saved response: `http(s)://`, `file://` or a file path.
    Url { ats: Ats, url: String },
}

pub struct PullOptions {
    pub source: Source,
    /// The jobs file to write (`content/jobs.json` under the root by default).
    pub out: PathBuf,
    /// For each HTTP request, from connecting to the last byte.
    pub timeout: Duration,
}

/// What a pull did.
#[derive(Debug)]
pub struct Pulled {
    pub jobs: usize,
    pub source: String,
    /// False when the file already had these exact bytes (left untouched).
    pub written: bool,
}

/// A failed pull: what went wrong, and what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub struct PullError {
    pub message: String,
    pub hint: Option<String>,
}

impl PullError {
    pub fn new(message: impl Into<String>) -> PullError {
        PullError { message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> PullError {
        self.hint = Some(hint.into());
        self
    }
}

impl std::fmt::Display for PullError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  = help: {h}")?;
        }
        Ok(())
    }
}

/// Fetches, normalises and writes the jobs file.
pub fn pull(opts: &PullOptions) -> Result<Pulled, PullError> {
    let file = fetch(&opts.source, opts.timeout)?;
    let jobs = file.jobs.len();
    let source = file.source.clone().unwrap_or_default();
    let written = write_if_changed(&opts.out, &file.to_text())?;
    Ok(Pulled { jobs, source, written })
}

/// Fetches and normalises the openings, writing nothing.
pub fn fetch(source: &Source, timeout: Duration) -> Result<JobsFile, PullError> {
    let (ats, jobs, label) = match source {
        Source::Api { ats, name } => {
            let name = name.trim();
            if name.is_empty() {
                return Err(PullError::new(format!("the {} name is empty", ats.name())));
            }
            let base = host(*ats, &api_base()?);
            let jobs = match ats {
                Ats::Greenhouse => {
                    let url = format!("{base}/v1/boards/{}/jobs?content=true", segment(name));
                    greenhouse::parse(&http::get(&url, timeout)?, &url)?
                }
                Ats::Lever => lever::pull(&base, name, timeout)?,
                Ats::Ashby => {
                    let url = format!("{base}/posting-api/job-board/{}?includeCompensation=true", segment(name));
                    ashby::parse(&http::get(&url, timeout)?, &url)?
                }
            };
            (*ats, jobs, format!("{}:{name}", ats.name()))
        }
        Source::Url { ats, url } => {
            let text = http::read_url(url, timeout)?;
            let jobs = match ats {
                Ats::Greenhouse => greenhouse::parse(&text, url)?,
                Ats::Lever => lever::parse(&text, url)?,
                Ats::Ashby => ashby::parse(&text, url)?,
            };
            // A file's path is not part of the output (the same export
            // gives the same bytes wherever it is saved); a URL is.
            let label = if url.starts_with("http://") || url.starts_with("https://") {
                format!("{}:{url}", ats.name())
            } else {
                ats.name().to_string()
            };
            (*ats, jobs, label)
        }
    };
    let mut seen = BTreeSet::new();
    for j in &jobs {
        if !seen.insert(j.id.clone()) {
            return Err(PullError::new(format!("two openings from the {} share the id `{}`", ats.label(), j.id)));
        }
    }
    Ok(JobsFile { source: Some(label), jobs })
}

/// `https://host` of the APIs, or `STORYPATH_ATS_BASE` without a final `/`.
fn api_base() -> Result<String, PullError> {
    match std::env::var(BASE_ENV) {
        Ok(v) if !v.trim().is_empty() => {
            let v = v.trim().trim_end_matches('/').to_string();
            if v.starts_with("http://") || v.starts_with("https://") {
                Ok(v)
            } else {
                Err(PullError::new(format!("{BASE_ENV} is `{v}`, not an http:// or https:// address"))
                    .hint("set it to a scheme and host, e.g. http://127.0.0.1:8080, or unset it to use the real APIs"))
            }
        }
        _ => Ok(String::new()),
    }
}

/// The real API host of `ats` unless `base` (from the environment) replaces it.
fn host(ats: Ats, base: &str) -> String {
    if !base.is_empty() {
        return base.to_string();
    }
    match ats {
        Ats::Greenhouse => "https://boards-api.greenhouse.io",
        Ats::Lever => "https://api.lever.co",
        Ats::Ashby => "https://api.ashbyhq.com",
    }
    .to_string()
}

/// A name as one URL path segment.
fn segment(name: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    percent_encoding::utf8_percent_encode(name, SEGMENT).to_string()
}

/// Replaces `path` with `text` in one step, unless it already holds exactly
/// that. Returns whether it wrote.
pub fn write_if_changed(path: &Path, text: &str) -> Result<bool, PullError> {
    if std::fs::read(path).ok().as_deref() == Some(text.as_bytes()) {
        return Ok(false);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if path.file_name().is_none() {
        return Err(PullError::new(format!("{} is not a file name", path.display())));
    }
    if !dir.is_dir() {
        return Err(PullError::new(format!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            dir.display()
        ))
        .hint("create it, or give another file with --out"));
    }
    let result = crate::write::replace_file(path, text);
    if let Err(e) = result {
        return Err(PullError::new(format!("cannot write {}: {e}", path.display()))
            .hint("the previous file, if any, is as it was"));
    }
    Ok(true)
}

// ---------------------------------------------------------------------------
// Reading the responses: every missing or mistyped field is named by its
// path in the response ("jobs[2].title"), with the URL or file it came from.

/// The response parsed as JSON; a syntax error says where (line, column).
fn parse_json(text: &str, origin: &str, ats: Ats) -> Result<Value, PullError> {
    serde_json::from_str(text).map_err(|e| {
        PullError::new(format!("the response from {origin} is not valid JSON: {e}"))
            .hint(format!("is this {}? Its API answers with JSON", ats.a_label()))
    })
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON object at a path in a response.
#[derive(Clone, Copy)]
struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: &'a str,
    origin: &'a str,
    ats: Ats,
}

impl<'a> Obj<'a> {
    fn at(v: &'a Value, path: &'a str, origin: &'a str, ats: Ats) -> Result<Obj<'a>, PullError> {
        match v {
            Value::Object(map) => Ok(Obj { map, path, origin, ats }),
            other => Err(shape(origin, ats, format!("{} should be an object, not {}", show(path), type_name(other)))),
        }
    }

    fn field(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn missing(&self, key: &str) -> PullError {
        shape(self.origin, self.ats, format!("{} is missing", self.field(key)))
    }

    fn wrong(&self, key: &str, want: &str, got: &Value) -> PullError {
        shape(self.origin, self.ats, format!("{} should be {want}, not {}", self.field(key), type_name(got)))
    }

    /// A present, non-null value.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn req(&self, key: &str) -> Result<&'a Value, PullError> {
        self.get(key).ok_or_else(|| self.missing(key))
    }

    /// An optional string; empty or blank counts as absent.
    fn opt_str(&self, key: &str) -> Result<Option<&'a str>, PullError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    fn req_str(&self, key: &str) -> Result<&'a str, PullError> {
        self.opt_str(key)?.ok_or_else(|| self.missing(key))
    }

    /// A string or a number, as text (ids).
    fn req_id(&self, key: &str) -> Result<String, PullError> {
        match self.req(key)? {
            Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Value::Number(n) => Ok(n.to_string()),
            Value::String(_) => Err(self.missing(key)),
            other => Err(self.wrong(key, "a string or a number", other)),
        }
    }

    fn opt_f64(&self, key: &str) -> Result<Option<f64>, PullError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(other) => Err(self.wrong(key, "a number", other)),
        }
    }

    fn opt_bool(&self, key: &str) -> Result<Option<bool>, PullError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong(key, "true or false", other)),
        }
    }

    fn opt_array(&self, key: &str) -> Result<&'a [Value], PullError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(other) => Err(self.wrong(key, "an array", other)),
        }
    }

    fn opt_obj(&self, key: &str, path: &'a str) -> Result<Option<Obj<'a>>, PullError> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Obj::at(v, path, self.origin, self.ats).map(Some),
            Some(other) => Err(self.wrong(key, "an object", other)),
        }
    }
}

fn show(path: &str) -> &str {
    if path.is_empty() {
        "the response"
    } else {
        path
    }
}

fn shape(origin: &str, ats: Ats, what: String) -> PullError {
    PullError::new(format!("the response from {origin} is not {}: {what}", ats.a_label()))
        .hint("check the name and --format; docs/jobs-pull.md lists the fields storypath reads")
}

/// The array of jobs at the top of a response, or under `key`.
fn jobs_array<'a>(v: &'a Value, key: Option<&str>, origin: &str, ats: Ats) -> Result<&'a [Value], PullError> {
    let arr = match key {
        None => v,
        Some(k) => {
            let top = Obj::at(v, "", origin, ats)?;
            match v.get(k) {
                Some(a) => a,
                None => return Err(top.missing(k)),
            }
        }
    };
    match arr {
        Value::Array(a) => Ok(a),
        other => Err(shape(
            origin,
            ats,
            format!("{} should be an array, not {}", key.unwrap_or("the response"), type_name(other)),
        )),
    }
}

// ---------------------------------------------------------------------------
// Normalising values shared by the three systems.

/// An ATS id as a job id: lower-case letters, digits and `-`.
fn job_id(raw: &str) -> String {
    raw.trim()
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
        .collect()
}

/// schema.org's employment type for what an ATS calls it ("Full-time",
/// "FullTime", "Contract"...); OTHER when it is something else.
fn employment_type(raw: &str) -> String {
    let key: String = raw.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    match key.as_str() {
        "fulltime" | "permanent" | "regular" | "regularfulltime" => "FULL_TIME",
        "parttime" | "regularparttime" => "PART_TIME",
        "contract" | "contractor" | "freelance" | "contracttohire" => "CONTRACTOR",
        "temporary" | "temp" | "seasonal" | "fixedterm" => "TEMPORARY",
        "intern" | "internship" => "INTERN",
        "volunteer" => "VOLUNTEER",
        "perdiem" => "PER_DIEM",
        _ => "OTHER",
    }
    .to_string()
}

/// `YYYY-MM-DD` from an ISO 8601 date-time ("2026-11-02T09:30:00-05:00":
/// the date where it was posted).
fn iso_date(raw: &str) -> Option<String> {
    let d = raw.trim().get(..10)?;
    let b = d.as_bytes();
    let ok = b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    ok.then(|| d.to_string())
}

/// `YYYY-MM-DD` (UTC) from milliseconds since 1970.
fn date_from_millis(ms: i64) -> String {
    let (y, m, d) = crate::clock::civil_from_days(ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Splits location names into places and remote regions: "Remote - USA"
/// makes the job remote with region "USA"; "Atlanta, GA" is a place.
#[derive(Default)]
struct Places {
    locations: Vec<String>,
    remote: bool,
    regions: Vec<String>,
}

impl Places {
    fn add(&mut self, name: &str) {
        for part in name.split(';') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let lower = part.to_ascii_lowercase();
            if let Some(at) = lower.find("remote") {
                self.remote = true;
                let rest = format!("{} {}", &part[..at], &part[at + "remote".len()..]);
                let region = rest.trim_matches(|c: char| c.is_whitespace() || "-–—,:()/|".contains(c)).trim();
                if !region.is_empty() {
                    self.region(region);
                }
            } else if !self.locations.iter().any(|l| l == part) {
                self.locations.push(part.to_string());
            }
        }
    }

    fn region(&mut self, region: &str) {
        let region = region.trim();
        if !region.is_empty() && !self.regions.iter().any(|r| r == region) {
            self.regions.push(region.to_string());
        }
    }
}

/// Pay period words of the jobs file for an ATS's interval ("1 YEAR",
/// "per-hour-wage").
fn salary_period(raw: &str) -> Option<String> {
    let l = raw.to_ascii_lowercase();
    ["year", "month", "week", "day", "hour"].iter().find(|p| l.contains(*p)).map(|p| p.to_string())
}

/// Text as HTML text (`<`, `>`, `&`, quotes escaped).
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A record with the fields every ATS gives; the rest are filled by each.
fn record(id: String, title: &str, date_posted: String, apply_url: &str) -> JobRecord {
    JobRecord {
        id,
        title: title.trim().to_string(),
        role: None,
        slug: None,
        department: None,
        locations: Vec::new(),
        remote: false,
        remote_regions: Vec::new(),
        employment_type: None,
        date_posted,
        valid_through: None,
        apply_url: apply_url.trim().to_string(),
        salary_min: None,
        salary_max: None,
        currency: None,
        salary_period: None,
        description_html: None,
        description: None,
    }
}

impl JobRecord {
    fn set_places(&mut self, p: Places) {
        self.locations = p.locations;
        self.remote = p.remote;
        self.remote_regions = if p.remote { p.regions } else { Vec::new() };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_ids_types_and_places() {
        assert_eq!(date_from_millis(0), "1970-01-01");
        assert_eq!(date_from_millis(1_793_000_000_000), "2026-10-26");
        assert_eq!(iso_date("2026-11-02T09:30:00-05:00").as_deref(), Some("2026-11-02"));
        assert_eq!(iso_date("Nov 2, 2026"), None);
        assert_eq!(job_id("4A0B_c 9"), "4a0b-c-9");
        assert_eq!(employment_type("Full-time"), "FULL_TIME");
        assert_eq!(employment_type("FullTime"), "FULL_TIME");
        assert_eq!(employment_type("Contract"), "CONTRACTOR");
        assert_eq!(employment_type("Part Time"), "PART_TIME");
        assert_eq!(employment_type("Gig"), "OTHER");
        assert_eq!(salary_period("per-hour-wage").as_deref(), Some("hour"));
        assert_eq!(salary_period("1 YEAR").as_deref(), Some("year"));
        let mut p = Places::default();
        p.add("Atlanta, GA; Remote - USA");
        p.add("Remote (Canada)");
        p.add("Atlanta, GA");
        assert_eq!(p.locations, ["Atlanta, GA"]);
        assert!(p.remote);
        assert_eq!(p.regions, ["USA", "Canada"]);
        assert_eq!(segment("harbor line/x"), "harbor%20line%2Fx");
    }
}
