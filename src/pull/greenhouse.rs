//! Greenhouse's Job Board API: `GET /v1/boards/{board}/jobs?content=true`
//! returns `{"jobs": [...], "meta": {"total": N}}`, every job at once.
//!
//! Each job: `id` (a number), `title`, `absolute_url` (the posting, where
//! people apply), `updated_at` and `first_published` (ISO 8601),
//! `location.name`, `offices[].name`, `departments[].name`, `metadata[]`
//! (custom fields: `name`, `value`) and `content`, the description as HTML
//! escaped once more (`&lt;p&gt;`).

use super::{iso_date, job_id, jobs_array, parse_json, record, Ats, Obj, Places, PullError};
use crate::load::jobs_file::JobRecord;

const ATS: Ats = Ats::Greenhouse;

pub fn parse(text: &str, origin: &str) -> Result<Vec<JobRecord>, PullError> {
    let v = parse_json(text, origin, ATS)?;
    let jobs = jobs_array(&v, Some("jobs"), origin, ATS)?;
    let mut out = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.iter().enumerate() {
        let path = format!("jobs[{i}]");
        out.push(one(Obj::at(job, &path, origin, ATS)?)?);
    }
    Ok(out)
}

fn one(j: Obj<'_>) -> Result<JobRecord, PullError> {
    let id = job_id(&j.req_id("id")?);
    let title = j.req_str("title")?;
    let date_key = if j.opt_str("first_published")?.is_some() { "first_published" } else { "updated_at" };
    let raw_date = j.req_str(date_key)?;
    let date = iso_date(raw_date).ok_or_else(|| {
        super::shape(j.origin, ATS, format!("{} is `{raw_date}`, not an ISO 8601 date", j.field(date_key)))
    })?;
    let apply = j.req_str("absolute_url")?;
    let mut r = record(id, title, date, apply);

    let dpath = j.field("departments[0]");
    if let Some(first) = j.opt_array("departments")?.first() {
        r.department = Obj::at(first, &dpath, j.origin, ATS)?.opt_str("name")?.map(|s| s.trim().to_string());
    }

    let mut places = Places::default();
    let lpath = j.field("location");
    if let Some(loc) = j.opt_obj("location", &lpath)? {
        if let Some(name) = loc.opt_str("name")? {
            places.add(name);
        }
    }
    if places.locations.is_empty() && !places.remote {
        let paths: Vec<String> =
            (0..j.opt_array("offices")?.len()).map(|i| j.field(&format!("offices[{i}]"))).collect();
        for (office, path) in j.opt_array("offices")?.iter().zip(&paths) {
            if let Some(name) = Obj::at(office, path, j.origin, ATS)?.opt_str("name")? {
                places.add(name);
            }
        }
    }
    r.set_places(places);

    // Greenhouse has no employment type of its own; boards often add one
    // as a custom field ("Employment Type": "Full-time").
    let paths: Vec<String> = (0..j.opt_array("metadata")?.len()).map(|i| j.field(&format!("metadata[{i}]"))).collect();
    for (m, path) in j.opt_array("metadata")?.iter().zip(&paths) {
        let m = Obj::at(m, path, j.origin, ATS)?;
        let name = m.opt_str("name")?.unwrap_or_default().to_ascii_lowercase();
        if name.contains("employment type") || name == "employment" || name == "job type" {
            if let Some(serde_json::Value::String(value)) = m.get("value") {
                if !value.trim().is_empty() {
                    r.employment_type = Some(super::employment_type(value));
                    break;
                }
            }
        }
    }

    r.description_html = j.opt_str("content")?.map(unescape).filter(|s| !s.trim().is_empty());
    Ok(r)
}

/// Undoes Greenhouse's escaping of `content` (one pass: `&lt;p&gt;` is
/// `<p>`, `&amp;amp;` is the HTML's `&amp;`). Unknown entities are kept.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|e| e + 1);
        let decoded = match end {
            Some(e) if rest[e..].starts_with(';') => entity(&rest[1..e]).map(|c| (c, e + 1)),
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_unescaped_once() {
        assert_eq!(unescape("&lt;p&gt;Tom &amp;amp; Jerry&lt;/p&gt;"), "<p>Tom &amp; Jerry</p>");
        assert_eq!(unescape("&lt;a href=&quot;x&quot;&gt;&#39;&#x2019;"), "<a href=\"x\">'\u{2019}");
        assert_eq!(unescape("AT&T & co &bogus; &"), "AT&T & co &bogus; &");
    }
}
