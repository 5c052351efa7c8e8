//! Lever's Postings API: `GET /v0/postings/{company}?mode=json&skip=N&limit=M`
//! returns an array of postings, a page at a time.
//!
//! Each posting: `id`, `text` (the title), `categories` (`team`,
//! `department`, `location`, `allLocations`, `commitment`), `country`,
//! `workplaceType` (`on-site`, `remote`, `hybrid`, `unspecified`),
//! `createdAt` (milliseconds since 1970), `hostedUrl`, `applyUrl`,
//! `description` (HTML), `lists[]` (`text`, `content`: list items as HTML),
//! `additional` (HTML) and, when given, `salaryRange` (`min`, `max`,
//! `currency`, `interval`: `per-year-salary`, `per-hour-wage`...).

use super::{
    date_from_millis, employment_type, escape_html, job_id, jobs_array, parse_json, record, salary_period, segment,
    Ats, Obj, Places, PullError,
};
use crate::load::jobs_file::JobRecord;
use std::collections::BTreeSet;
use std::time::Duration;

const ATS: Ats = Ats::Lever;

/// The page size; `STORYPATH_LEVER_PAGE_SIZE` changes it (for tests).
const PAGE: usize = 100;

/// At most this many pages (a board of 100,000 postings), so a server that
/// ignores `skip` cannot keep the pull going for ever.
const MAX_PAGES: usize = 1000;

/// Every page of the company's postings: `limit` at a time until a page
/// comes back short (or brings nothing new).
pub fn pull(base: &str, company: &str, timeout: Duration) -> Result<Vec<JobRecord>, PullError> {
    let page = std::env::var("STORYPATH_LEVER_PAGE_SIZE")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(PAGE);
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for n in 0..MAX_PAGES {
        let url = format!("{base}/v0/postings/{}?mode=json&skip={}&limit={page}", segment(company), n * page);
        let jobs = parse(&super::http::get(&url, timeout)?, &url)?;
        let got = jobs.len();
        let mut new = 0;
        for j in jobs {
            // A posting published between two requests moves the others one
            // place: it shows twice, once on each page. Keep the first.
            if seen.insert(j.id.clone()) {
                out.push(j);
                new += 1;
            }
        }
        if got < page || new == 0 {
            return Ok(out);
        }
    }
    Err(PullError::new(format!("Lever sent more than {MAX_PAGES} pages of {page} postings; stopped")))
}

pub fn parse(text: &str, origin: &str) -> Result<Vec<JobRecord>, PullError> {
    let v = parse_json(text, origin, ATS)?;
    let jobs = jobs_array(&v, None, origin, ATS)?;
    let mut out = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.iter().enumerate() {
        let path = format!("[{i}]");
        out.push(one(Obj::at(job, &path, origin, ATS)?)?);
    }
    Ok(out)
}

fn one(j: Obj<'_>) -> Result<JobRecord, PullError> {
    let id = job_id(j.req_str("id")?);
    let title = j.req_str("text")?;
    let created = match j.req("createdAt")? {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        other => return Err(j.wrong("createdAt", "a number (milliseconds since 1970)", other)),
    }
    .unwrap_or_default();
    let apply = match j.opt_str("applyUrl")? {
        Some(u) => u,
        None => j.opt_str("hostedUrl")?.ok_or_else(|| j.missing("applyUrl"))?,
    };
    let mut r = record(id, title, date_from_millis(created), apply);

    let mut places = Places::default();
    let cpath = j.field("categories");
    if let Some(c) = j.opt_obj("categories", &cpath)? {
        r.department = c.opt_str("department")?.or(c.opt_str("team")?).map(|s| s.trim().to_string());
        r.employment_type = c.opt_str("commitment")?.map(employment_type);
        let all = c.opt_array("allLocations")?;
        if all.is_empty() {
            if let Some(l) = c.opt_str("location")? {
                places.add(l);
            }
        }
        for (i, l) in all.iter().enumerate() {
            match l {
                serde_json::Value::String(s) => places.add(s),
                other => return Err(c.wrong(&format!("allLocations[{i}]"), "a string", other)),
            }
        }
    }
    if j.opt_str("workplaceType")?.is_some_and(|w| w.eq_ignore_ascii_case("remote")) {
        places.remote = true;
    }
    if places.remote && places.regions.is_empty() {
        if let Some(country) = j.opt_str("country")? {
            places.region(country);
        }
    }
    r.set_places(places);

    let spath = j.field("salaryRange");
    if let Some(s) = j.opt_obj("salaryRange", &spath)? {
        r.salary_min = s.opt_f64("min")?;
        r.salary_max = s.opt_f64("max")?;
        if r.salary_min.is_some() || r.salary_max.is_some() {
            r.currency = s.opt_str("currency")?.map(|c| c.trim().to_ascii_uppercase());
            r.salary_period = s.opt_str("interval")?.and_then(salary_period);
        }
    }

    // The whole posting: the description, its lists (requirements,
    // benefits...) under their headings, and the closing text.
    let mut html = j.opt_str("description")?.unwrap_or_default().to_string();
    for (i, list) in j.opt_array("lists")?.iter().enumerate() {
        let path = j.field(&format!("lists[{i}]"));
        let list = Obj::at(list, &path, j.origin, ATS)?;
        let content = list.opt_str("content")?.unwrap_or_default();
        if content.trim().is_empty() {
            continue;
        }
        if let Some(heading) = list.opt_str("text")? {
            html.push_str(&format!("<h3>{}</h3>", escape_html(heading.trim())));
        }
        html.push_str(&format!("<ul>{content}</ul>"));
    }
    html.push_str(j.opt_str("additional")?.unwrap_or_default());
    r.description_html = Some(html).filter(|h| !h.trim().is_empty());
    Ok(r)
}
