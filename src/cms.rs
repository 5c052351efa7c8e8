//! `storypath cms`: the set-up of Decap CMS for a site, made from the site.
//!
//! Writes `static/admin/index.html` (loads Decap CMS, pinned) and
//! `static/admin/config.yml` (the collections), so a careers team can edit
//! stories and pages in a browser; every save is a commit (GitHub, GitLab)
//! or, with `npx decap-server` beside `storypath serve`, a file on disk.
//!
//! Why Decap and not Sveltia CMS: both read this same `config.yml`, but
//! Decap's local backend is a small server (`decap-server`) that writes
//! files into the site folder, which is how a writer edits next to
//! `storypath serve` and how the tests drive the real CMS. Sveltia's local
//! mode needs the browser's folder picker. Switching is one `<script>` line.
//!
//! What is generated from the site, and so follows it when `storypath cms`
//! runs again: the role select (the ladder's roles, titled), the tag and
//! origin selects (the values the stories use; drafts count), the
//! relation widgets (to stories), the typed path list (a ladder role or a
//! job outside it), the languages. The `backend:` block between its marker
//! lines is the user's: it is kept as it is when the file is rewritten.
//!
//! Safety: a file under `static/admin/` that storypath did not write (it
//! has no [`MARK`]) is never overwritten; the command refuses and says so.

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use std::path::{Path, PathBuf};

/// The Decap CMS release `index.html` loads, the same one the tests run
/// (`tests/browser/package.json` pins it; a test checks they agree).
pub const DECAP_VERSION: &str = "3.16.3";

/// The first line of both files: what storypath may rewrite.
pub const MARK: &str = "Made by storypath cms";

const BACKEND_START: &str = "# --- backend: yours to edit; `storypath cms` keeps this block ---";
const BACKEND_END: &str = "# --- end of backend ---";

/// Where the CMS lives, relative to the site root.
pub const DIR: &str = "static/admin";

/// Where it is published, relative to the output folder (`static/` is
/// copied to the output's root).
pub const PUBLISHED: &str = "admin/";

/// What `storypath cms` wrote.
#[derive(Debug)]
pub struct Written {
    pub dir: PathBuf,
    pub roles: usize,
    pub tags: usize,
    pub origins: usize,
}

/// Writes `static/admin/` for `site` (modelled with drafts). Refuses files
/// it did not make; on any refusal nothing is written.
pub fn write(site: &Site) -> Result<Written, Diagnostic> {
    let dir = site.root.join(DIR);
    refuse_links(&site.root, &dir)?;
    let config_path = dir.join("config.yml");
    let index_path = dir.join("index.html");
    let old_config = ours(&site.root, &config_path)?;
    ours(&site.root, &index_path)?;
    let backend = old_config.as_deref().and_then(kept_backend).unwrap_or_else(default_backend);
    let values = Values::of(site);
    let config = config_yml(site, &values, &backend);
    let index = index_html(site);
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, &site.root, e))?;
    for (path, text) in [(&config_path, config), (&index_path, index)] {
        crate::write::replace_file(path, &text).map_err(|e| io_error(path, &site.root, e))?;
    }
    Ok(Written { dir, roles: values.roles.len(), tags: values.tags.len(), origins: values.origins.len() })
}

/// The values the selects offer.
struct Values {
    /// (id, label) of each ladder role, in ladder order.
    roles: Vec<(String, String)>,
    tags: Vec<String>,
    origins: Vec<String>,
}

impl Values {
    fn of(site: &Site) -> Values {
        let roles = site
            .ladder
            .iter()
            .flat_map(|l| l.roles.iter().map(move |r| (r, l)))
            .map(|(r, l)| {
                let track = l.tracks.iter().find(|t| t.id.value == r.track.value).map(|t| t.name.as_str());
                let label = match track {
                    Some(t) => format!("{} ({t})", r.title),
                    None => r.title.clone(),
                };
                (r.id.value.clone(), label)
            })
            .collect();
        let mut tags: Vec<String> = site.stories.iter().flat_map(|s| s.tags.iter().cloned()).collect();
        tags.sort();
        tags.dedup();
        let mut origins: Vec<String> = site.stories.iter().filter_map(|s| s.origin.clone()).collect();
        origins.sort();
        origins.dedup();
        Values { roles, tags, origins }
    }
}

/// A YAML scalar: JSON's double-quoted strings are valid YAML, and escape
/// everything (quotes, backslashes, control characters, `#`, `:`).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "))
}

/// A select of the values the stories use, so a typo cannot start a new
/// tag page; free text while no story has one (Decap needs options).
fn choice(values: &[String], multiple: bool) -> String {
    match (values.is_empty(), multiple) {
        (false, m) => format!("widget: \"select\", multiple: {m}, options: {}", list(values)),
        (true, true) => "widget: \"list\", hint: \"Comma-separated, like frontline, leadership.\"".into(),
        (true, false) => "widget: \"string\"".into(),
    }
}

fn default_backend() -> String {
    [
        "# Where saves go. GitHub (the default here): set repo to your site's repository.",
        "# GitLab: name: gitlab, repo: group/project, auth_type: pkce, app_id: <application id>.",
        "# Editing on this computer needs none of it: run `npx decap-server` in the site",
        "# folder beside `storypath serve` (local_backend below).",
        "backend:",
        "  name: github",
        "  repo: your-org/your-careers-site",
        "  branch: main",
    ]
    .join("\n")
}

/// The backend block of a config.yml storypath wrote, markers excluded.
fn kept_backend(old: &str) -> Option<String> {
    let start = old.find(BACKEND_START)? + BACKEND_START.len();
    let end = start + old[start..].find(BACKEND_END)?;
    Some(old[start..end].trim_matches('\n').to_string())
}

fn config_yml(site: &Site, v: &Values, backend: &str) -> String {
    let c = &site.config;
    let role_options: Vec<String> =
        v.roles.iter().map(|(id, label)| format!("{{ label: {}, value: {} }}", q(label), q(id))).collect();
    let langs: Vec<String> = c.languages.iter().map(|l| l.code.value.clone()).collect();
    let translations = if langs.len() > 1 {
        format!(
            "# Translations are the files beside a story with the language before .md\n\
             # (ada.{0}.md): they show as their own entries, named by file.\n",
            langs[1]
        )
    } else {
        String::new()
    };
    let decap_locale = match c.language.split('-').next().unwrap_or("en") {
        l @ ("en" | "fr" | "es" | "de" | "pt" | "it" | "nl" | "pl" | "ja" | "ko" | "zh") => l,
        _ => "en",
    };
    format!(
        r#"# {MARK}, from site.toml, content/ladder.toml and the stories.
# Run `storypath cms` again after changing the ladder, tags or origins: it
# rewrites this file and keeps the backend block below.
{BACKEND_START}
{backend}
{BACKEND_END}
local_backend: true
site_url: {site_url}
display_url: {site_url}
locale: {locale}
media_folder: "static/img"
public_folder: "img"
slug: {{ encoding: "ascii", clean_accents: true }}
{translations}collections:
  - name: "stories"
    label: "Stories"
    label_singular: "Story"
    description: "One person's career story: the headline, who they are, their role on the ladder and the path that led there."
    folder: "content/stories"
    extension: "md"
    format: "toml-frontmatter"
    create: true
    identifier_field: "name"
    slug: "{{{{slug}}}}"
    summary: "{{{{name}}}}: {{{{title}}}} ({{{{filename}}}})"
    sortable_fields: ["date", "name", "title"]
    fields:
      - {{ name: "title", label: "Headline", widget: "string", hint: "What the story is about, in the person's words." }}
      - {{ name: "name", label: "Name", widget: "string", hint: "The person's full name; the file is named after it." }}
      - {{ name: "date", label: "Publication date", widget: "datetime", format: "YYYY-MM-DD", date_format: "YYYY-MM-DD", time_format: false, picker_utc: true, default: "{{{{now}}}}" }}
      - {{ name: "role", label: "Current role", hint: "A role of content/ladder.toml.", {roles} }}
      - {{ name: "origin", label: "How they got into the industry", required: false, {origins} }}
      - {{ name: "location", label: "Location", widget: "string", required: false }}
      - {{ name: "photo", label: "Photo", widget: "image", required: false, choose_url: false, hint: "A portrait; storypath resizes it and strips its location data." }}
      - {{ name: "photo_alt", label: "Photo description", widget: "string", required: false, hint: "Required with a photo: what it shows, for people who cannot see it." }}
      - {{ name: "photo_focus", label: "Photo focal point", widget: "string", required: false, pattern: ['^\d{{1,3}}% \d{{1,3}}%$', "Two percentages, like 50% 30%"], hint: "Where crops centre, across then down, like 50% 30%." }}
      - {{ name: "quote", label: "Quote", widget: "text", required: false }}
      - {{ name: "tags", label: "Tags", required: false, {tags} }}
      - name: "path"
        label: "Career path"
        label_singular: "step"
        widget: "list"
        required: false
        hint: "Oldest first; the last step is the current role."
        types:
          - name: "role"
            label: "A role on the ladder"
            widget: "object"
            summary: "{{{{fields.role}}}} from {{{{fields.from}}}}"
            fields:
              - {{ name: "role", label: "Role", {roles} }}
              - {{ name: "from", label: "From (year)", required: false, {year_fields} }}
              - {{ name: "to", label: "To (year)", required: false, {year_fields} }}
          - name: "outside"
            label: "A job elsewhere"
            widget: "object"
            summary: "{{{{fields.outside}}}} from {{{{fields.from}}}}"
            fields:
              - {{ name: "outside", label: "Job", widget: "string" }}
              - {{ name: "from", label: "From (year)", required: false, {year_fields} }}
              - {{ name: "to", label: "To (year)", required: false, {year_fields} }}
      - name: "relations"
        label: "Family and mentors"
        widget: "object"
        required: false
        collapsed: true
        fields:
          - {{ name: "parents", label: "Parents", widget: "relation", collection: "stories", value_field: "{{{{slug}}}}", search_fields: ["name"], display_fields: ["{{{{name}}}} ({{{{slug}}}})"], multiple: true, required: false }}
          - {{ name: "mentors", label: "Mentors", widget: "relation", collection: "stories", value_field: "{{{{slug}}}}", search_fields: ["name"], display_fields: ["{{{{name}}}} ({{{{slug}}}})"], multiple: true, required: false }}
      - name: "video"
        label: "Video"
        widget: "object"
        required: false
        collapsed: true
        fields:
          - {{ name: "url", label: "YouTube, Vimeo or file URL", widget: "string", required: false }}
          - {{ name: "transcript", label: "Transcript", widget: "text", required: false, hint: "Needed with a video: what is said, for people who cannot hear it." }}
      - {{ name: "featured", label: "Featured on the home page", widget: "boolean", required: false, default: false }}
      - {{ name: "draft", label: "Draft (not published)", widget: "boolean", required: false, default: false }}
      - {{ name: "body", label: "Story", widget: "markdown" }}
  - name: "pages"
    label: "Pages"
    label_singular: "Page"
    description: "Free pages: benefits, how we hire, ..."
    folder: "content/pages"
    extension: "md"
    format: "toml-frontmatter"
    create: true
    identifier_field: "title"
    slug: "{{{{slug}}}}"
    summary: "{{{{title}}}} ({{{{filename}}}})"
    fields:
      - {{ name: "title", label: "Title", widget: "string" }}
      - {{ name: "description", label: "Description", widget: "string", required: false }}
      - {{ name: "weight", label: "Order in the menu (lower first)", widget: "number", value_type: "int", required: false }}
      - {{ name: "draft", label: "Draft (not published)", widget: "boolean", required: false, default: false }}
      - {{ name: "body", label: "Page", widget: "markdown" }}
"#,
        site_url = q(&c.base.url),
        locale = q(decap_locale),
        roles = if role_options.is_empty() {
            "widget: \"string\"".to_string()
        } else {
            format!("widget: \"select\", options: [{}]", role_options.join(", "))
        },
        origins = choice(&v.origins, false),
        tags = choice(&v.tags, true),
        year_fields = "widget: \"number\", value_type: \"int\", min: 1900, max: 2100",
    )
}

fn index_html(site: &Site) -> String {
    let title = crate::text::escape_xml(&site.config.title);
    format!(
        r#"<!doctype html>
<!-- {MARK}: Decap CMS {DECAP_VERSION} for this site; `storypath cms` rewrites this file. -->
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Content manager · {title}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<script src="https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"></script>
</body>
</html>
"#,
        lang = crate::text::escape_xml(&site.config.language),
    )
}

/// The text of a file storypath may rewrite: `None` when there is none,
/// an error when it is not ours.
fn ours(root: &Path, path: &Path) -> Result<Option<String>, Diagnostic> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path, root, e)),
        Ok(m) if !m.is_file() => return Err(not_ours(root, path)),
        Ok(_) => {}
    }
    let text = std::fs::read_to_string(path).map_err(|_| not_ours(root, path))?;
    let head: String = text.lines().take(2).collect();
    if head.contains(MARK) {
        Ok(Some(text))
    } else {
        Err(not_ours(root, path))
    }
}

/// `static/` or `static/admin` as a link could send the files anywhere.
fn refuse_links(root: &Path, dir: &Path) -> Result<(), Diagnostic> {
    for p in [root.join("static"), dir.to_path_buf()] {
        if std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink() || !m.is_dir()) {
            return Err(Diagnostic::new(rel(root, &p), None, "is not a folder (or is a link): the CMS is not written")
                .hint("make it a plain folder inside the site"));
        }
    }
    Ok(())
}

fn not_ours(root: &Path, path: &Path) -> Diagnostic {
    Diagnostic::new(rel(root, path), None, "was not made by `storypath cms`, so it is left as it is")
        .hint(format!("move it out of {DIR}/ (or delete it) and run `storypath cms` again"))
}

fn io_error(path: &Path, root: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::new(rel(root, path), None, format!("cannot write the CMS: {e}"))
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_block_is_found_between_its_markers() {
        let old = format!("# {MARK}\n{BACKEND_START}\nbackend:\n  name: gitlab\n{BACKEND_END}\nlocal_backend: true\n");
        assert_eq!(kept_backend(&old).as_deref(), Some("backend:\n  name: gitlab"));
        assert_eq!(kept_backend("backend:\n  name: github\n"), None);
    }

    #[test]
    fn yaml_strings_are_quoted_and_escaped() {
        assert_eq!(q("Team lead: \"night\" # 2"), r#""Team lead: \"night\" # 2""#);
        assert_eq!(list(&["a".into(), "b'c".into()]), r#"["a", "b'c"]"#);
    }
}
