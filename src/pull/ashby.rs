//! Ashby's public job posting API:
//! `GET /posting-api/job-board/{org}?includeCompensation=true` returns
//! `{"apiVersion": "1", "jobs": [...]}`, every job at once.
//!
//! Each job: `id`, `title`, `department`, `team`, `employmentType`
//! (`FullTime`, `PartTime`, `Intern`, `Contract`, `Temporary`), `location`,
//! `secondaryLocations[].location`, `isRemote`, `workplaceType`,
//! `address.postalAddress.addressCountry`, `publishedAt` (ISO 8601),
//! `isListed`, `jobUrl`, `applyUrl`, `descriptionHtml` and, when asked for
//! and published, `compensation` (`summaryComponents[]` or
//! `compensationTiers[].components[]`: `compensationType` `Salary`,
//! `interval` `1 YEAR`, `currencyCode`, `minValue`, `maxValue`).

use super::{
    employment_type, iso_date, job_id, jobs_array, parse_json, record, salary_period, Ats, Obj, Places, PullError,
};
use crate::load::jobs_file::JobRecord;
use serde_json::Value;

const ATS: Ats = Ats::Ashby;

pub fn parse(text: &str, origin: &str) -> Result<Vec<JobRecord>, PullError> {
    let v = parse_json(text, origin, ATS)?;
    let jobs = jobs_array(&v, Some("jobs"), origin, ATS)?;
    let mut out = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.iter().enumerate() {
        let path = format!("jobs[{i}]");
        let j = Obj::at(job, &path, origin, ATS)?;
        // Unlisted postings are reachable by link only: not for a careers site.
        if j.opt_bool("isListed")? == Some(false) {
            continue;
        }
        out.push(one(j)?);
    }
    Ok(out)
}

fn one(j: Obj<'_>) -> Result<JobRecord, PullError> {
    let title = j.req_str("title")?;
    let job_url = j.opt_str("jobUrl")?;
    // The id is in every response; the job's address ends with it too.
    let id = match j.opt_str("id")? {
        Some(id) => id,
        None => job_url
            .and_then(|u| u.split(['?', '#']).next())
            .and_then(|u| u.trim_end_matches('/').rsplit('/').next())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| j.missing("id"))?,
    };
    let raw_date = j.req_str("publishedAt")?;
    let date = iso_date(raw_date).ok_or_else(|| {
        super::shape(j.origin, ATS, format!("{} is `{raw_date}`, not an ISO 8601 date", j.field("publishedAt")))
    })?;
    let apply = match j.opt_str("applyUrl")? {
        Some(u) => u,
        None => job_url.ok_or_else(|| j.missing("applyUrl"))?,
    };
    let mut r = record(job_id(id), title, date, apply);
    r.department = j.opt_str("department")?.or(j.opt_str("team")?).map(|s| s.trim().to_string());
    r.employment_type = j.opt_str("employmentType")?.map(employment_type);

    let mut places = Places::default();
    if let Some(l) = j.opt_str("location")? {
        places.add(l);
    }
    for (i, s) in j.opt_array("secondaryLocations")?.iter().enumerate() {
        let path = j.field(&format!("secondaryLocations[{i}]"));
        if let Some(l) = Obj::at(s, &path, j.origin, ATS)?.opt_str("location")? {
            places.add(l);
        }
    }
    let remote = j.opt_bool("isRemote")?.unwrap_or(false)
        || j.opt_str("workplaceType")?.is_some_and(|w| w.eq_ignore_ascii_case("remote"));
    places.remote |= remote;
    if places.remote && places.regions.is_empty() {
        let country = j
            .get("address")
            .and_then(|a| a.get("postalAddress"))
            .and_then(|p| p.get("addressCountry"))
            .and_then(Value::as_str);
        if let Some(c) = country {
            places.region(c);
        }
    }
    r.set_places(places);

    let cpath = j.field("compensation");
    if let Some(c) = j.opt_obj("compensation", &cpath)? {
        if let Some(salary) = salary(&c)? {
            let spath = salary.0;
            let s = Obj::at(salary.1, &spath, j.origin, ATS)?;
            r.salary_min = s.opt_f64("minValue")?;
            r.salary_max = s.opt_f64("maxValue")?;
            if r.salary_min.is_some() || r.salary_max.is_some() {
                r.currency = s.opt_str("currencyCode")?.map(|c| c.trim().to_ascii_uppercase());
                r.salary_period = s.opt_str("interval")?.and_then(salary_period);
            }
        }
    }

    r.description_html = j.opt_str("descriptionHtml")?.map(str::to_string);
    Ok(r)
}

/// The salary component: from the summary, else the first tier that has one.
fn salary<'a>(c: &Obj<'a>) -> Result<Option<(String, &'a Value)>, PullError> {
    let is_salary = |v: &Value| v.get("compensationType").and_then(Value::as_str) == Some("Salary");
    for (i, comp) in c.opt_array("summaryComponents")?.iter().enumerate() {
        if is_salary(comp) {
            return Ok(Some((c.field(&format!("summaryComponents[{i}]")), comp)));
        }
    }
    for (t, tier) in c.opt_array("compensationTiers")?.iter().enumerate() {
        let components = tier.get("components").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for (i, comp) in components.iter().enumerate() {
            if is_salary(comp) {
                return Ok(Some((c.field(&format!("compensationTiers[{t}].components[{i}]")), comp)));
            }
        }
    }
    Ok(None)
}
