//! `storypath init` and `storypath new story`: files a person starts from.
//! The starter site lives in `src/scaffold/site/` as real files (the tests
//! build it) and is compiled into the binary.

use crate::text::slugify;
use include_dir::{include_dir, Dir};
use std::path::{Path, PathBuf};

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/site");

/// Why a scaffold command did nothing.
#[derive(Debug)]
pub enum ScaffoldError {
    /// The command line asked for something impossible (exit 2).
    Usage(String, String),
    /// It would overwrite the user's files, or the disk said no (exit 1).
    Refused(String, String),
}

impl ScaffoldError {
    pub fn message(&self) -> (&str, &str) {
        match self {
            ScaffoldError::Usage(m, h) | ScaffoldError::Refused(m, h) => (m, h),
        }
    }
}

/// Writes the starter site into `dir`. A folder that holds anything (other
/// than hidden files such as `.git`) is refused unless `force`, and then
/// only the starter's own files are replaced.
/// The starter stories are dated `today`, so a new site's content report
/// starts clean.
pub fn init(dir: &Path, theme: &str, force: bool, today: (i32, u32, u32)) -> Result<Vec<String>, ScaffoldError> {
    let themes = crate::render::theme::builtin_names();
    if !themes.contains(&theme) {
        let hint = crate::text::did_you_mean(theme, themes.iter().copied())
            .unwrap_or_else(|| format!("the built-in themes are: {}", themes.join(", ")));
        return Err(ScaffoldError::Usage(format!("unknown theme `{theme}`"), hint));
    }
    if !force && has_visible_files(dir) {
        return Err(ScaffoldError::Refused(
            format!("{} is not empty", dir.display()),
            "pick a new or empty folder, or pass --force to add the starter files (replacing files of the same name)"
                .into(),
        ));
    }
    let mut written = Vec::new();
    let mut stack = vec![&STARTER];
    while let Some(d) = stack.pop() {
        stack.extend(d.dirs());
        for f in d.files() {
            let rel = f.path();
            let mut bytes = f.contents().to_vec();
            if rel == Path::new("site.toml") {
                let text =
                    String::from_utf8_lossy(&bytes).replace("theme = \"horizon\"", &format!("theme = \"{theme}\""));
                bytes = text.into_bytes();
            }
            if rel.starts_with("content/stories") {
                bytes = dated(&String::from_utf8_lossy(&bytes), today).into_bytes();
            }
            write_new(&dir.join(rel), &bytes, true)?;
            written.push(crate::load::slash_path(rel));
        }
    }
    written.sort();
    Ok(written)
}

/// `text` with its `date = ...` line set to `today`.
fn dated(text: &str, (y, m, d): (i32, u32, u32)) -> String {
    text.lines()
        .map(|l| if l.starts_with("date = ") { format!("date = {y:04}-{m:02}-{d:02}") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn has_visible_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .is_ok_and(|mut entries| entries.any(|e| e.is_ok_and(|e| !e.file_name().to_string_lossy().starts_with('.'))))
}

/// Writes `content/stories/<slug>.md` for `name` under `root`, as a draft,
/// and returns its path. An existing story is never overwritten.
pub fn new_story(root: &Path, name: &str, today: (i32, u32, u32)) -> Result<PathBuf, ScaffoldError> {
    let name = name.trim();
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(ScaffoldError::Usage(
            format!("cannot make a file name from {name:?}"),
            "give the person's full name, e.g. storypath new story \"Zoë Núñez\"".into(),
        ));
    }
    let rel = format!("content/stories/{slug}.md");
    let path = root.join(&rel);
    if path.exists() {
        return Err(ScaffoldError::Refused(
            format!("{rel} already exists"),
            "edit that file, or give the new story a different name".into(),
        ));
    }
    // Only the ladder is needed; its errors are `check`'s to report.
    let ladder = std::fs::read_to_string(root.join(crate::load::ladder::FILE))
        .ok()
        .and_then(|text| crate::load::ladder::parse(&text, &mut Vec::new()));
    let roles: Vec<(u32, &str)> =
        ladder.iter().flat_map(|l| &l.roles).map(|r| (r.level, r.id.value.as_str())).collect();
    let entry = roles.iter().min_by_key(|(level, id)| (*level, *id)).map(|(_, id)| *id);
    let (role, role_note) = match entry {
        Some(id) => {
            let mut ids: Vec<&str> = roles.iter().map(|(_, id)| *id).collect();
            ids.sort_unstable();
            (id.to_string(), format!("# their current role, one of: {}", ids.join(", ")))
        }
        None => ("change-me".to_string(), "# their current role (an id of content/ladder.toml)".to_string()),
    };
    let (y, m, d) = today;
    let quoted = toml_string(name);
    let text = format!(
        r#"+++
title = {title}   # change me: the story's headline
name = {quoted}
date = {y:04}-{m:02}-{d:02}
role = "{role}"   {role_note}
# origin = "By accident"               # how they got into the industry
# location = "City, Region"
# photo = "img/{slug}.jpg"            # a file under static/; then photo_alt is needed
# photo_alt = {alt}
# quote = "A sentence worth a pull quote."
tags = []
draft = true                           # remove this line to publish the story
path = [                               # the journey, oldest first; the last step is `role`
  # {{ outside = "A job before this company", from = 2015 }},
  {{ role = "{role}", from = {y} }},
]
[relations]
parents = []                           # slugs of other stories: this person's parents
mentors = []                           # and mentors
+++
## How did you get into the industry?

## What did you learn on the way?

## What would you tell someone starting out?
"#,
        title = toml_string(&format!("A headline in {name}'s own words")),
        alt = toml_string(&format!("{name} at their desk")),
    );
    write_new(&path, text.as_bytes(), false)?;
    Ok(PathBuf::from(rel))
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn write_new(path: &Path, bytes: &[u8], replace: bool) -> Result<(), ScaffoldError> {
    let fail = |e: std::io::Error| {
        ScaffoldError::Refused(
            format!("cannot write {}: {e}", path.display()),
            "check that the folder exists and that you may write to it".into(),
        )
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true);
    if replace {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    use std::io::Write;
    opts.open(path).and_then(|mut f| f.write_all(bytes)).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string(r#"Zoë "Z" Núñez\"#), r#""Zoë \"Z\" Núñez\\""#);
    }
}
