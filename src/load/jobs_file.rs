//! The normalised jobs file, `content/jobs.json`: what `storypath jobs pull`
//! writes from an applicant-tracking system and what a careers team may
//! write by hand. One record shape for the writer and the reader, so the
//! two cannot drift apart. (`content/jobs.csv` and `content/jobs/*.toml`
//! carry the same fields; see the README.)
//!
//! The file is written sorted by `id` and pretty-printed, with absent
//! optional fields left out, so that pulling the same openings twice writes
//! the same bytes and a change shows as a small diff in review.

use serde::{Deserialize, Serialize};

/// Where the normalised file lives, relative to the site root.
pub const FILE: &str = "content/jobs.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsFile {
    /// Where the openings came from ("greenhouse:harborline"), for people
    /// reading the file; storypath does not use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub jobs: Vec<JobRecord>,
}

/// One opening. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobRecord {
    /// The ATS's id (unique in the file): part of the page's URL.
    pub id: String,
    /// The title as the ATS has it ("Customer Care Representative II – Spanish").
    pub title: String,
    /// A ladder role id, when known. Otherwise `[jobs.roles]` in site.toml
    /// maps the title, or the department hint does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The page's slug; by default the title's slug, `-`, the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// The ATS's department or team, for the department-to-track hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Places people work from ("Atlanta, GA"); may be empty when remote.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub remote: bool,
    /// Where a remote worker may live ("USA"), for Google's
    /// `applicantLocationRequirements`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remote_regions: Vec<String>,
    /// schema.org's employment types: FULL_TIME, PART_TIME, CONTRACTOR,
    /// TEMPORARY, INTERN, VOLUNTEER, PER_DIEM, OTHER.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment_type: Option<String>,
    pub date_posted: String,
    /// After this date the opening leaves no trace in the site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_through: Option<String>,
    pub apply_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salary_min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salary_max: Option<f64>,
    /// ISO 4217 ("USD").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// year, month, week, day or hour (as the ladder's pay).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salary_period: Option<String>,
    /// The description as HTML, as an ATS gives it (unescaped); sanitised
    /// when the site is built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_html: Option<String>,
    /// The description as Markdown, as a person writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl JobsFile {
    /// The file's text: jobs sorted by id, two-space indents, a final newline.
    pub fn to_text(&self) -> String {
        let mut sorted = self.clone();
        sorted.jobs.sort_by(|a, b| a.id.cmp(&b.id));
        let mut text = serde_json::to_string_pretty(&sorted).unwrap_or_else(|_| "{\"jobs\": []}".into());
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_sorted_without_absent_fields_and_read_back_the_same() {
        let job = |id: &str| JobRecord {
            id: id.into(),
            title: "Agent".into(),
            role: None,
            slug: None,
            department: Some("Care".into()),
            locations: vec!["Atlanta, GA".into()],
            remote: false,
            remote_regions: Vec::new(),
            employment_type: Some("FULL_TIME".into()),
            date_posted: "2026-11-02".into(),
            valid_through: None,
            apply_url: "https://example.org/apply".into(),
            salary_min: None,
            salary_max: None,
            currency: None,
            salary_period: None,
            description_html: Some("<p>Hi</p>".into()),
            description: None,
        };
        let file = JobsFile { source: None, jobs: vec![job("9"), job("10"), job("1")] };
        let text = file.to_text();
        assert!(text.ends_with("}\n"));
        assert!(!text.contains("null") && !text.contains("remote") && !text.contains("salary"), "{text}");
        let back: JobsFile = serde_json::from_str(&text).unwrap();
        assert_eq!(back.jobs.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(), ["1", "10", "9"]);
        assert_eq!(back.to_text(), text);
        assert!(serde_json::from_str::<JobsFile>(r#"{"jobs": [], "extra": 1}"#).is_err());
    }
}
