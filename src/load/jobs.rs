//! Open positions: `content/jobs.json` (what `storypath jobs pull` writes,
//! see `jobs_file`), `content/jobs.csv` (what a recruiter exports from a
//! spreadsheet) and `content/jobs/*.toml` (one opening a file). All three
//! carry the same fields and may be used together. Checks of one opening
//! (dates, links, pay) are made here, located in its file; checks against
//! the ladder and across files (roles, duplicate ids) are `validate`'s.

use super::fields::{quoted_date, Date, Sp, Span};
use super::jobs_file::{JobRecord, JobsFile};
use crate::diagnostics::Diagnostic;

pub const JSON: &str = super::jobs_file::FILE;
pub const CSV: &str = "content/jobs.csv";
pub const DIR: &str = "content/jobs";

/// The CSV header, in this order (DESIGN.md).
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "title",
    "role",
    "locations",
    "remote",
    "employment_type",
    "date_posted",
    "valid_through",
    "apply_url",
    "salary_min",
    "salary_max",
    "currency",
    "description",
];

/// schema.org's `employmentType` values, which Google for Jobs reads.
pub const EMPLOYMENT_TYPES: &[&str] =
    &["FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"];

#[derive(Debug, Clone)]
pub struct Job {
    /// The file it came from, relative to the site root.
    pub file: String,
    /// Where the opening is written in that file (its `id`).
    pub span: Span,
    pub id: String,
    pub title: String,
    /// The ladder role, when the opening names it; otherwise `[jobs.roles]`
    /// maps its title (see `model::jobs`).
    pub role: Option<Sp<String>>,
    pub slug: Sp<String>,
    pub department: Option<String>,
    pub locations: Vec<String>,
    pub remote: bool,
    pub remote_regions: Vec<String>,
    pub employment_type: Option<String>,
    pub date_posted: Date,
    pub valid_through: Option<Date>,
    pub apply_url: String,
    pub salary: Option<Salary>,
    pub description: Description,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Salary {
    pub min: f64,
    pub max: f64,
    pub currency: String,
    pub period: String,
}

#[derive(Debug, Clone)]
pub enum Description {
    /// As an ATS gives it: sanitised when rendered.
    Html(String),
    Markdown(String),
}

/// A record read from one of the three forms, before its fields are checked.
struct Found {
    file: String,
    span: Span,
    rec: JobRecord,
}

/// Every opening of the site, with the errors of each file. `read` gives a
/// file's text (relative path) or `None` when it is absent; `toml_files`
/// lists `content/jobs/*.toml`.
pub fn parse_all(
    json: Option<&str>,
    csv: Option<&str>,
    toml_files: &[(String, String)],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Job> {
    let mut found = Vec::new();
    if let Some(text) = json {
        found.extend(from_json(text, errors));
    }
    if let Some(text) = csv {
        found.extend(from_csv(text, errors));
    }
    for (file, text) in toml_files {
        found.extend(from_toml(file, text, errors));
    }
    found.into_iter().filter_map(|f| check(f, errors)).collect()
}

fn from_json(text: &str, errors: &mut Vec<Diagnostic>) -> Vec<Found> {
    match serde_json::from_str::<JobsFile>(text) {
        Ok(file) => {
            let mut from = 0;
            file.jobs
                .into_iter()
                .map(|rec| {
                    let span = find_id(text, &rec.id, from);
                    from = span.end;
                    Found { file: JSON.into(), span, rec }
                })
                .collect()
        }
        Err(e) => {
            let at = offset_of(text, e.line(), e.column());
            errors.push(
                Diagnostic::at(JSON, at..at, format!("the jobs file is not valid: {e}"))
                    .hint("it holds {\"jobs\": [ ... ]}, each opening with id, title, date_posted, apply_url and a description; `storypath jobs pull` writes it"),
            );
            Vec::new()
        }
    }
}

/// The byte range of `"id": "<id>"` at or after `from`: where an opening
/// of the JSON file is reported.
fn find_id(text: &str, id: &str, from: usize) -> Span {
    let value = serde_json::to_string(id).unwrap_or_default();
    let mut at = from.min(text.len());
    while let Some(i) = text.get(at..).and_then(|t| t.find("\"id\"")) {
        let start = at + i;
        let rest = text[start + 4..].trim_start();
        if let Some(after) = rest.strip_prefix(':') {
            if after.trim_start().starts_with(&value) {
                let end = text.len() - after.trim_start().len() + value.len();
                return start..end;
            }
        }
        at = start + 4;
    }
    from.min(text.len())..from.min(text.len())
}

/// The byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    // The report slices the text here: never inside a character.
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn from_csv(text: &str, errors: &mut Vec<Diagnostic>) -> Vec<Found> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            errors.push(Diagnostic::at(CSV, 0..0, format!("the jobs CSV cannot be read: {e}")));
            return Vec::new();
        }
    };
    let first_line = text.find('\n').unwrap_or(text.len());
    let unknown: Vec<&String> = header.iter().filter(|c| !CSV_COLUMNS.contains(&c.as_str())).collect();
    let missing: Vec<&&str> =
        ["id", "title", "date_posted", "apply_url"].iter().filter(|c| !header.iter().any(|h| h == *c)).collect();
    if !unknown.is_empty() || !missing.is_empty() {
        let what = if unknown.is_empty() {
            format!("the jobs CSV has no column {}", list(&missing))
        } else {
            format!("the jobs CSV has an unknown column {}", list(&unknown))
        };
        errors.push(Diagnostic::at(CSV, 0..first_line, what).hint(format!("the header is: {}", CSV_COLUMNS.join(","))));
        return Vec::new();
    }
    let mut out = Vec::new();
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize).min(text.len());
                errors.push(
                    Diagnostic::at(CSV, at..at, format!("a row of the jobs CSV cannot be read: {e}"))
                        .hint("every row has one cell per column of the header; quote cells that hold commas"),
                );
                continue;
            }
        };
        let start = row.position().map_or(0, |p| p.byte() as usize).min(text.len());
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let span = start..end;
        let cell = |name: &str| {
            header.iter().position(|h| h == name).and_then(|i| row.get(i)).map(str::trim).unwrap_or("").to_string()
        };
        let opt = |name: &str| Some(cell(name)).filter(|c| !c.is_empty());
        let mut number = |name: &str| match opt(name) {
            None => None,
            Some(c) => match c.replace(',', "").parse::<f64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(
                        Diagnostic::at(CSV, span.clone(), format!("`{name}` `{c}` is not a number"))
                            .hint(format!("write the amount in digits, like {name} = 52000")),
                    );
                    None
                }
            },
        };
        let (salary_min, salary_max) = (number("salary_min"), number("salary_max"));
        let remote = match cell("remote").to_ascii_lowercase().as_str() {
            "" | "false" | "no" => false,
            "true" | "yes" => true,
            other => {
                errors.push(
                    Diagnostic::at(CSV, span.clone(), format!("`remote` is `{other}`, not true or false"))
                        .hint("write true for a remote opening, false (or nothing) otherwise"),
                );
                false
            }
        };
        let rec = JobRecord {
            id: cell("id"),
            title: cell("title"),
            role: opt("role"),
            slug: None,
            department: None,
            locations: cell("locations")
                .split(';')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
            remote,
            remote_regions: Vec::new(),
            employment_type: opt("employment_type"),
            date_posted: cell("date_posted"),
            valid_through: opt("valid_through"),
            apply_url: cell("apply_url"),
            salary_min,
            salary_max,
            currency: opt("currency"),
            salary_period: None,
            description_html: None,
            description: opt("description"),
        };
        out.push(Found { file: CSV.into(), span, rec });
    }
    out
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
}

fn from_toml(file: &str, text: &str, errors: &mut Vec<Diagnostic>) -> Option<Found> {
    match toml::from_str::<JobRecord>(text) {
        Ok(rec) => {
            let span = text.find("id").map_or(0..0, |i| i..text[i..].find('\n').map_or(text.len(), |e| i + e));
            Some(Found { file: file.to_string(), span, rec })
        }
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            errors.push(Diagnostic::at(file, span, format!("this opening cannot be read: {}", e.message())).hint(
                "an opening has id, title, date_posted, apply_url, a description, and locations or remote = true",
            ));
            None
        }
    }
}

/// The checks of one opening; `None` when it cannot be published.
fn check(f: Found, errors: &mut Vec<Diagnostic>) -> Option<Job> {
    let Found { file, span, rec } = f;
    let before = errors.len();
    let mut err = |message: String, hint: &str| errors.push(Diagnostic::at(&file, span.clone(), message).hint(hint));
    let name = if rec.title.is_empty() { format!("opening `{}`", rec.id) } else { format!("“{}”", rec.title) };
    if rec.id.trim().is_empty() {
        err("an opening has no `id`".into(), "give each opening the id its ATS uses, like id = \"4012345\"");
    }
    if rec.title.trim().is_empty() {
        err(format!("opening `{}` has no title", rec.id), "write the job title as candidates search for it");
    }
    let mut date = |key: &str, value: &str| match quoted_date(value.trim()) {
        Ok(d) => Some(d),
        Err(why) => {
            let why = why.unwrap_or_else(|| "write it as YYYY-MM-DD".into());
            err(format!("{name}: `{key}` `{value}` is not a date: {why}"), &format!("write {key} = \"2026-11-02\""));
            None
        }
    };
    let date_posted = date("date_posted", &rec.date_posted);
    let valid_through = rec.valid_through.as_deref().map(|v| date("valid_through", v));
    let url = rec.apply_url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
        err(
            format!("{name}: `apply_url` `{url}` is not a web address"),
            "link the opening's page on your applicant-tracking system, starting with https://",
        );
    }
    if let Some(t) = &rec.employment_type {
        if !EMPLOYMENT_TYPES.contains(&t.as_str()) {
            let hint = crate::text::did_you_mean(
                &t.to_ascii_uppercase().replace(['-', ' '], "_"),
                EMPLOYMENT_TYPES.iter().copied(),
            )
            .unwrap_or_else(|| format!("use one of {}", EMPLOYMENT_TYPES.join(", ")));
            err(format!("{name}: unknown `employment_type` `{t}`"), &hint);
        }
    }
    let description = match (&rec.description_html, &rec.description) {
        (Some(h), None) if !h.trim().is_empty() => Some(Description::Html(h.clone())),
        (None, Some(m)) if !m.trim().is_empty() => Some(Description::Markdown(m.clone())),
        (Some(_), Some(_)) => {
            err(
                format!("{name} has both `description` and `description_html`"),
                "keep one: Markdown in description, or the ATS's HTML in description_html",
            );
            None
        }
        // An ATS may list an opening with no text yet: it is published
        // with the role's summary, and `check` says what is missing.
        _ => Some(Description::Html(String::new())),
    };
    let salary = match (rec.salary_min, rec.salary_max) {
        (None, None) => None,
        (min, max) => {
            let (min, max) = (min.or(max).unwrap_or(0.0), max.or(min).unwrap_or(0.0));
            let currency = rec.currency.clone().unwrap_or_default();
            let period = rec.salary_period.clone().unwrap_or_else(|| "year".into());
            if min < 0.0 || max < min {
                err(
                    format!("{name}: the salary range {min}–{max} runs backwards"),
                    "write salary_min no larger than salary_max",
                );
            }
            if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
                err(
                    format!("{name}: a salary needs its currency as three capital letters"),
                    "write currency = \"USD\" (ISO 4217)",
                );
            }
            if !super::ladder::PERIODS.contains(&period.as_str()) {
                err(
                    format!("{name}: unknown `salary_period` `{period}`"),
                    &format!("use one of {}", super::ladder::PERIODS.join(", ")),
                );
            }
            Some(Salary { min, max, currency, period })
        }
    };
    let slug_text = rec.slug.clone().unwrap_or_else(|| {
        let t = crate::text::slugify(&rec.title);
        let id = crate::text::slugify(&rec.id);
        if t.is_empty() {
            id
        } else {
            format!("{t}-{id}")
        }
    });
    let slug = Sp::new(slug_text, span.clone());
    if let Some(e) = crate::ids::check(&file, &slug, "slug", "opening's slug") {
        errors.push(e);
    }
    if errors.len() > before {
        return None;
    }
    Some(Job {
        file: file.clone(),
        span: span.clone(),
        id: rec.id,
        title: rec.title,
        role: rec.role.filter(|r| !r.trim().is_empty()).map(|r| Sp::new(r, span.clone())),
        slug,
        department: rec.department,
        locations: rec.locations,
        remote: rec.remote,
        remote_regions: rec.remote_regions,
        employment_type: rec.employment_type,
        date_posted: date_posted?,
        valid_through: valid_through.flatten(),
        apply_url: url.to_string(),
        salary,
        description: description?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON_OK: &str = r#"{
  "jobs": [
    {
      "id": "101",
      "title": "Customer Care Representative II – Spanish",
      "locations": ["Atlanta, GA"],
      "date_posted": "2026-11-02",
      "apply_url": "https://jobs.example.org/101",
      "description_html": "<p>Help customers.</p>"
    },
    {
      "id": "102",
      "title": "Team Lead",
      "role": "team-lead",
      "remote": true,
      "date_posted": "2026-13-02",
      "apply_url": "ftp://x",
      "description": "Lead."
    }
  ]
}"#;

    #[test]
    fn json_openings_are_read_and_each_problem_is_located_at_its_opening() {
        let mut errors = Vec::new();
        let jobs = parse_all(Some(JSON_OK), None, &[], &mut errors);
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].slug.value, "customer-care-representative-ii-spanish-101");
        assert!(matches!(jobs[0].description, Description::Html(_)));
        assert_eq!(errors.len(), 2, "{errors:?}");
        let at = JSON_OK.find("\"id\": \"102\"").unwrap();
        assert!(errors.iter().all(|e| e.span.as_ref().is_some_and(|s| s.start == at)), "{errors:?}");
        assert!(errors[0].message.contains("no month 13"), "{}", errors[0].message);
        assert!(errors[1].message.contains("apply_url"), "{}", errors[1].message);
    }

    #[test]
    fn csv_rows_as_a_spreadsheet_exports_them() {
        let csv = "id,title,role,locations,remote,employment_type,date_posted,valid_through,apply_url,salary_min,salary_max,currency,description\n\
                   7,\"Scheduler, nights\",scheduler,Tampa FL; Toronto ON,false,FULL_TIME,2026-11-01,2026-12-31,https://x.example/7,\"42,000\",48000,USD,\"Builds schedules.\nNights.\"\n\
                   8,Agent,,,maybe,FULL,2026-11-01,,https://x.example/8,,,,Calls.\n";
        let mut errors = Vec::new();
        let jobs = parse_all(None, Some(csv), &[], &mut errors);
        assert_eq!(jobs.len(), 1, "{errors:?}");
        let j = &jobs[0];
        assert_eq!((j.title.as_str(), j.locations.len()), ("Scheduler, nights", 2));
        assert_eq!(j.salary.as_ref().map(|s| (s.min, s.max)), Some((42000.0, 48000.0)));
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(messages.iter().any(|m| m.contains("`remote` is `maybe`")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("employment_type")), "{messages:?}");
        assert!(errors[0].span.as_ref().is_some_and(|s| csv[s.clone()].starts_with("8,Agent")), "{errors:?}");
        let mut errors = Vec::new();
        assert!(parse_all(None, Some("id,title,salary\n"), &[], &mut errors).is_empty());
        assert!(errors[0].message.contains("unknown column `salary`"), "{errors:?}");
    }

    #[test]
    fn toml_openings_and_their_errors() {
        let ok = "id = \"9\"\ntitle = \"Trainer\"\nremote = true\ndate_posted = \"2026-10-01\"\napply_url = \"https://x.example/9\"\ndescription = \"Teach.\"\n";
        let bad = "id = \"10\"\ntitel = \"x\"\n";
        let mut errors = Vec::new();
        let files =
            [("content/jobs/a.toml".to_string(), ok.to_string()), ("content/jobs/b.toml".to_string(), bad.to_string())];
        let jobs = parse_all(None, None, &files, &mut errors);
        assert_eq!(jobs.len(), 1);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].file, "content/jobs/b.toml");
        assert!(errors[0].message.contains("titel"), "{}", errors[0].message);
    }
}
