//! `storypath init` and `storypath new story`: files a person starts from.
//! The starter site lives in `src/scaffold/site/` as real files (the tests
//! build it) and is compiled into the binary.

use crate::text::slugify;
use include_dir::{include_dir, Dir};
use std::path::{Path, PathBuf};

mod translate;
pub use translate::translate_story;

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

/// What `init` did: the starter files it wrote, and those it found already
/// there with the starter's content (left untouched), as `/` paths.
#[derive(Debug, Default)]
pub struct Initialized {
    pub written: Vec<String>,
    pub kept: Vec<String>,
}

/// Writes the starter site into `dir`. A folder that holds anything (other
/// than hidden files such as `.git`) is refused unless `force`. Even then a
/// user's file is never replaced: a starter file already there with the
/// starter's content is left, a missing one is written, and if any differs
/// (or a path under `dir` is a symbolic link leading out of it) nothing at
/// all is written and the error lists them. Everything is checked before
/// the first write, so a refusal leaves the folder as it was.
/// The starter stories are dated `today`, so a new site's content report
/// starts clean.
pub fn init(dir: &Path, theme: &str, force: bool, today: (i32, u32, u32)) -> Result<Initialized, ScaffoldError> {
    let themes = crate::render::theme::builtin_names();
    if !themes.contains(&theme) {
        let hint = crate::text::did_you_mean(theme, themes.iter().copied())
            .unwrap_or_else(|| format!("the built-in themes are: {}", themes.join(", ")));
        return Err(ScaffoldError::Usage(format!("unknown theme `{theme}`"), hint));
    }
    if !force && has_visible_files(dir) {
        return Err(ScaffoldError::Refused(
            format!("{} is not empty", dir.display()),
            "pick a new or empty folder, or pass --force to add the starter files (files you changed are never replaced)"
                .into(),
        ));
    }
    let mut files = Vec::new();
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
            let story = rel.starts_with("content/stories");
            if story {
                bytes = dated(&String::from_utf8_lossy(&bytes), today).into_bytes();
            }
            files.push((rel.to_path_buf(), bytes, story));
        }
    }
    files.sort();

    // Plan first: every refusal is found before anything is written.
    let mut done = Initialized::default();
    let (mut changed, mut links) = (Vec::new(), Vec::new());
    let mut missing = Vec::new();
    for (rel, bytes, story) in &files {
        let name = crate::load::slash_path(rel);
        if let Some(link) = link_out_of(dir, rel) {
            if !links.contains(&link) {
                links.push(link);
            }
            continue;
        }
        match same_as_starter(&dir.join(rel), bytes, *story, today) {
            None => missing.push((rel, bytes, name)),
            Some(true) => done.kept.push(name),
            Some(false) => changed.push(name),
        }
    }
    if !links.is_empty() {
        return Err(ScaffoldError::Refused(
            format!(
                "{} inside {} lead{} out of it: {}",
                plural(links.len(), "a symbolic link", "symbolic links"),
                dir.display(),
                if links.len() == 1 { "s" } else { "" },
                links.join(", ")
            ),
            "init writes only inside the folder: replace the links with real files or folders, or init into a new folder".into(),
        ));
    }
    if !changed.is_empty() {
        return Err(ScaffoldError::Refused(
            format!(
                "{} of the starter already exist{} with other content, and init never replaces them:\n  {}",
                plural(changed.len(), "1 file", &format!("{} files", changed.len())),
                if changed.len() == 1 { "s" } else { "" },
                changed.join("\n  ")
            ),
            "nothing was written; move those files away (or init into a new folder) and run init again".into(),
        ));
    }
    for (rel, bytes, name) in missing {
        write_new(&dir.join(rel), bytes)?;
        done.written.push(name);
    }
    Ok(done)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Whether the file at `path` already holds `bytes` (`None`: there is no
/// file, not even a dangling link). A starter story from an earlier day
/// counts as the same: only its date line differs. Anything but a regular
/// file (a folder, a FIFO) differs, and is never opened.
fn same_as_starter(path: &Path, bytes: &[u8], story: bool, today: (i32, u32, u32)) -> Option<bool> {
    path.symlink_metadata().ok()?;
    let Ok(meta) = std::fs::metadata(path) else { return Some(false) };
    // Starter files are a few KiB: a longer file was edited (and is not read).
    if !meta.is_file() || meta.len() > bytes.len() as u64 + 64 {
        return Some(false);
    }
    let Ok(found) = std::fs::read(path) else { return Some(false) };
    Some(found == bytes || (story && dated(&String::from_utf8_lossy(&found), today).as_bytes() == bytes))
}

/// The first path under `base` on the way to `base/rel` (as written, `/`
/// separated) that is a symbolic link whose target is outside `base`, or
/// dangling. Links that stay inside are fine; `base` itself is the user's
/// choice and may be a link.
fn link_out_of(base: &Path, rel: &Path) -> Option<String> {
    let real_base = base.canonicalize().ok()?;
    let mut path = base.to_path_buf();
    let mut shown = PathBuf::new();
    for c in rel.components() {
        path.push(c);
        shown.push(c);
        let meta = path.symlink_metadata().ok()?;
        if meta.file_type().is_symlink() && !path.canonicalize().is_ok_and(|real| real.starts_with(&real_base)) {
            return Some(crate::load::slash_path(&shown));
        }
    }
    None
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
/// and returns its path; with `lang` (a language of the site other than
/// the default), `<slug>.<lang>.md`. An existing story is never overwritten.
pub fn new_story(
    root: &Path,
    name: &str,
    lang: Option<&str>,
    today: (i32, u32, u32),
) -> Result<PathBuf, ScaffoldError> {
    let name = name.trim();
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(ScaffoldError::Usage(
            format!("cannot make a file name from {name:?}"),
            "give the person's full name, e.g. storypath new story \"Zoë Núñez\"".into(),
        ));
    }
    let suffix = translate::suffix(root, lang)?;
    let rel = format!("content/stories/{slug}{suffix}.md");
    let path = free_path(root, &rel, "edit that file, or give the new story a different name")?;
    // Only the ladder is needed; its errors are `check`'s to report.
    let ladder = crate::load::ladder_only(root);
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
# video = {{ url = "https://www.youtube.com/watch?v=...", transcript = "What they say, as text." }}  # or video/{slug}.mp4 under static/
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
    write_new(&path, text.as_bytes())?;
    Ok(PathBuf::from(rel))
}

/// `root.join(rel)` when nothing is there and no folder on the way is a
/// link out of the site; `taken` is the hint when the file exists.
fn free_path(root: &Path, rel: &str, taken: &str) -> Result<PathBuf, ScaffoldError> {
    if let Some(link) = link_out_of(root, Path::new(rel)) {
        return Err(ScaffoldError::Refused(
            format!("{link} is a symbolic link that leads out of the site"),
            "new story writes only inside the site: replace the link with a real folder or file".into(),
        ));
    }
    let path = root.join(rel);
    if path.symlink_metadata().is_ok() {
        return Err(ScaffoldError::Refused(format!("{rel} already exists"), taken.into()));
    }
    Ok(path)
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

/// Writes a file that must not exist yet. `create_new` (O_CREAT|O_EXCL)
/// never follows a symbolic link at the final name and never truncates a
/// file that appeared since the plan was made; the folders on the way were
/// checked by [`link_out_of`].
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), ScaffoldError> {
    let fail = |e: std::io::Error| {
        let hint = if e.kind() == std::io::ErrorKind::AlreadyExists {
            "the file appeared while storypath was writing: nothing of yours was replaced; run the command again"
        } else {
            "check that the folder exists and that you may write to it"
        };
        ScaffoldError::Refused(format!("cannot write {}: {e}", path.display()), hint.into())
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    use std::io::Write;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string(r#"Zoë "Z" Núñez\"#), r#""Zoë \"Z\" Núñez\\""#);
    }
}
