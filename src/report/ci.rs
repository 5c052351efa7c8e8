//! `check --format github` and `--format gitlab`: the report as a CI host
//! shows it on the changed lines. GitHub reads workflow commands from a
//! step's output (`::warning file=…,line=…::message`); GitLab reads a Code
//! Quality report, a JSON array of issues, from the job's artifacts.

use crate::diagnostics::{Diagnostic, Severity, Sources};

/// The title a host shows: the warning's code, or "error".
fn title(d: &Diagnostic) -> &str {
    d.code.unwrap_or(if d.severity == Severity::Error { "error" } else { "warning" })
}

/// The message with its hint, as one text.
fn text(d: &Diagnostic) -> String {
    let mut t = d.message.clone();
    if let Some(label) = &d.label {
        t.push_str(&format!(" ({label})"));
    }
    if let Some(hint) = &d.hint {
        t.push_str(&format!("; help: {hint}"));
    }
    t
}

/// One GitHub workflow command per diagnostic (`::error` or `::warning`).
pub fn github(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    // Workflow-command escaping: data escapes %, CR and LF; property values
    // also `:` and `,`, which separate them.
    let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in sources.sorted(diagnostics) {
        let command = if d.severity == Severity::Error { "error" } else { "warning" };
        let mut props = vec![format!("file={}", prop(&d.file))];
        let (start, end) = sources.range(d);
        if let Some((line, col)) = start {
            props.push(format!("line={line}"));
            props.push(format!("col={col}"));
        }
        if let (Some((sl, _)), Some((el, ec))) = (start, end) {
            if el >= sl {
                props.push(format!("endLine={el}"));
                if el == sl {
                    props.push(format!("endColumn={ec}"));
                }
            }
        }
        props.push(format!("title={}", prop(title(d))));
        out.push_str(&format!("::{command} {}::{}\n", props.join(","), data(&text(d))));
    }
    out
}

/// A GitLab Code Quality report: errors are `critical`, warnings `minor`;
/// each issue's fingerprint is a hash of its code, file and message, so the
/// same warning keeps its identity from pipeline to pipeline.
pub fn gitlab(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let issues: Vec<serde_json::Value> = sources
        .sorted(diagnostics)
        .into_iter()
        .map(|d| {
            let (start, end) = sources.range(d);
            let begin = start.map_or(1, |p| p.0);
            let fingerprint = blake3::hash(format!("{}\0{}\0{}", title(d), d.file, d.message).as_bytes());
            serde_json::json!({
                "type": "issue",
                "check_name": title(d),
                "description": text(d),
                "categories": ["Style"],
                "severity": if d.severity == Severity::Error { "critical" } else { "minor" },
                "fingerprint": fingerprint.to_hex()[..32].to_string(),
                "location": {
                    "path": d.file,
                    "lines": { "begin": begin, "end": end.map_or(begin, |p| p.0.max(begin)) },
                },
            })
        })
        .collect();
    serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Sources, Vec<Diagnostic>) {
        let mut sources = Sources::default();
        let text = "+++\nname = \"Ada, Okafor\"\ndate = 2020-01-01\n+++\n";
        sources.add("content/stories/ada.md", text);
        let at = text.find("2020").unwrap();
        let stale = Diagnostic::at("content/stories/ada.md", at..at + 10, "the story of Ada is more than 2 years old")
            .warning("stale-story")
            .label("dated 2020-01-01")
            .hint("change `date`: 100% sure");
        let mut denied =
            Diagnostic::new("content/jobs.json", None, "“Agent, nights” is on no role").warning("unmapped-job");
        denied.severity = Severity::Error;
        (sources, vec![stale, denied])
    }

    #[test]
    fn github_workflow_commands_are_escaped_and_located() {
        let (sources, d) = sample();
        assert_eq!(
            github(&sources, &d),
            "::error file=content/jobs.json,title=unmapped-job::“Agent, nights” is on no role\n\
             ::warning file=content/stories/ada.md,line=3,col=8,endLine=3,endColumn=18,title=stale-story::\
             the story of Ada is more than 2 years old (dated 2020-01-01); help: change `date`: 100%25 sure\n"
        );
    }

    #[test]
    fn gitlab_code_quality_issues_carry_the_required_fields() {
        let (sources, d) = sample();
        let v: serde_json::Value = serde_json::from_str(&gitlab(&sources, &d)).unwrap();
        let issues = v.as_array().unwrap();
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[1]["check_name"], "stale-story");
        assert_eq!(issues[1]["severity"], "minor");
        assert_eq!(issues[1]["location"]["path"], "content/stories/ada.md");
        assert_eq!(issues[1]["location"]["lines"]["begin"], 3);
        assert_eq!(issues[0]["severity"], "critical");
        assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
    }
}
