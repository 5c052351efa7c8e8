//! Stage 1, load: walk the site's files, read them as UTF-8 and parse each
//! one (site.toml, the ladder, stories, pages). Problems inside one file are
//! reported here; problems between files are `validate`'s job.

pub mod config;
pub mod fields;
pub mod frontmatter;
pub mod ladder;
pub mod page;
pub mod story;

use crate::diagnostics::{Diagnostic, Sources};
use config::Config;
use ladder::Ladder;
use page::Page;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use story::Story;

/// Everything read from disk, before cross-file checks.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub root: PathBuf,
    pub config: Config,
    pub ladder: Option<Ladder>,
    pub stories: Vec<Story>,
    pub pages: Vec<Page>,
    /// Files under `static/`, relative to it, sorted.
    pub static_files: Vec<String>,
    pub sources: Sources,
    pub errors: Vec<Diagnostic>,
}

/// Reads the site at `root`. `base_url` overrides site.toml's for this run.
pub fn load(root: &Path, base_url: Option<&str>) -> Loaded {
    load_cached(root, base_url, &mut Cache::default(), &BTreeSet::new())
}

/// Stories and pages parsed by an earlier run, kept by `serve` so that a
/// rebuild reads and parses only the files that changed: those whose size or
/// modification time differ, and those the watcher named in `touched` (an
/// edit can keep both). site.toml and the ladder are small and always read.
#[derive(Default)]
pub struct Cache {
    stories: BTreeMap<String, Cached<Story>>,
    pages: BTreeMap<String, Cached<Page>>,
}

struct Cached<T> {
    stamp: Option<(u64, std::time::SystemTime)>,
    text: Arc<str>,
    found: Option<T>,
    errors: Vec<Diagnostic>,
}

impl Cache {
    /// The stories in `touched`, read again, when the edit changed only
    /// what pages show of them: every touched file is a story this cache
    /// holds without errors, and it still parses without errors to the same
    /// structure ([`Story::same_structure`]). The cache is then updated.
    /// `None` (and the cache left alone) when an edit may reach further:
    /// another kind of file, a file added, removed or renamed, a change of
    /// slug, date, role, journey, relations, tags, origin, draft, name or
    /// photo, an error. `serve` trusts its watcher here: other files are
    /// not looked at.
    pub fn light_edits(&mut self, root: &Path, touched: &BTreeSet<String>) -> Option<Vec<Story>> {
        if touched.is_empty() {
            return None;
        }
        let mut fresh = Vec::with_capacity(touched.len());
        for rel in touched {
            let old = self.stories.get(rel).filter(|c| c.errors.is_empty())?.found.as_ref()?;
            let mut errors = Vec::new();
            let stamp = stamp(root, rel);
            let (text, ok) = read_text(root, rel, &mut errors);
            let story = story::parse(rel, &text, &mut errors).filter(|_| ok && errors.is_empty())?;
            if !story.same_structure(old) {
                return None;
            }
            fresh.push((rel, Cached { stamp, text: text.into(), found: Some(story), errors }));
        }
        let stories = fresh.iter().filter_map(|(_, c)| c.found.clone()).collect();
        for (rel, c) in fresh {
            self.stories.insert(rel.clone(), c);
        }
        Some(stories)
    }
}

/// A file's size and modification time, to tell whether it changed.
fn stamp(root: &Path, rel: &str) -> Option<(u64, std::time::SystemTime)> {
    let m = std::fs::metadata(root.join(rel)).ok()?;
    Some((m.len(), m.modified().ok()?))
}

/// Only site.toml (defaults when it is absent or has errors): what `serve`
/// needs before the first build, the base path and the title.
pub fn config_only(root: &Path) -> Config {
    let mut errors = Vec::new();
    match std::fs::read_to_string(root.join(config::FILE)) {
        Ok(text) => Config::parse(&text, &mut errors),
        Err(_) => Config::defaults(),
    }
}

/// Like [`load`], reusing what `cache` holds for files that did not change.
/// `touched` holds paths relative to the root, with `/` separators.
pub fn load_cached(root: &Path, base_url: Option<&str>, cache: &mut Cache, touched: &BTreeSet<String>) -> Loaded {
    let mut sources = Sources::default();
    let mut errors = Vec::new();
    if !root.is_dir() {
        errors.push(
            Diagnostic::new(root.display().to_string(), None, "the site folder does not exist")
                .hint("pass the folder that holds site.toml and content/ with --root"),
        );
    }

    let mut config = match read_optional(root, config::FILE, &mut sources, &mut errors) {
        Some(text) => Config::parse(&text, &mut errors),
        None => Config::defaults(),
    };
    if let Some(raw) = base_url {
        match config::BaseUrl::parse(raw) {
            Ok(b) => config.base = b,
            Err(e) => errors.push(
                Diagnostic::new("--base-url", None, format!("bad --base-url: {e}"))
                    .hint("pass the full address, e.g. --base-url https://example.org/careers/"),
            ),
        }
    }
    let ladder =
        read_optional(root, ladder::FILE, &mut sources, &mut errors).and_then(|text| ladder::parse(&text, &mut errors));

    let story_files = markdown_files(root, "content/stories", &mut errors);
    let page_files = markdown_files(root, "content/pages", &mut errors);
    let stories = refresh(root, &story_files, &mut cache.stories, touched, story::parse, &mut sources, &mut errors);
    let pages = refresh(root, &page_files, &mut cache.pages, touched, page::parse, &mut sources, &mut errors);
    // Everything under static/ is published, hidden files too (`.well-known/`).
    let static_files = walk(root, "static", false, &mut errors);
    Loaded { root: root.to_path_buf(), config, ladder, stories, pages, static_files, sources, errors }
}

/// Brings `cache` up to date with `files` (in parallel: parsing dominates a
/// first load) and returns what they hold, in the order of `files`.
fn refresh<T: Clone + Send + Sync>(
    root: &Path,
    files: &[String],
    cache: &mut BTreeMap<String, Cached<T>>,
    touched: &BTreeSet<String>,
    parse: impl Fn(&str, &str, &mut Vec<Diagnostic>) -> Option<T> + Sync,
    sources: &mut Sources,
    errors: &mut Vec<Diagnostic>,
) -> Vec<T> {
    let fresh: Vec<(String, Cached<T>)> = files
        .par_iter()
        .filter_map(|rel| {
            let now = stamp(root, rel);
            let known = cache.get(rel).is_some_and(|c| c.stamp.is_some() && c.stamp == now);
            if known && !touched.contains(rel) {
                return None;
            }
            let mut errs = Vec::new();
            let (text, ok) = read_text(root, rel, &mut errs);
            let found = if ok { parse(rel, &text, &mut errs) } else { None };
            Some((rel.clone(), Cached { stamp: now, text: text.into(), found, errors: errs }))
        })
        .collect();
    cache.extend(fresh);
    let wanted: BTreeSet<&String> = files.iter().collect();
    cache.retain(|rel, _| wanted.contains(rel));
    let mut out = Vec::with_capacity(files.len());
    for rel in files {
        let c = &cache[rel];
        sources.add_shared(rel, c.text.clone());
        errors.extend(c.errors.iter().cloned());
        out.extend(c.found.clone());
    }
    out
}

/// Reads a file that may be absent; registers its text for error reports.
fn read_optional(root: &Path, rel: &str, sources: &mut Sources, errors: &mut Vec<Diagnostic>) -> Option<String> {
    let path = root.join(rel);
    if !path.exists() && path.symlink_metadata().is_err() {
        return None;
    }
    let (text, ok) = read_text(root, rel, errors);
    sources.add(rel, &text);
    ok.then_some(text)
}

/// Reads a file as UTF-8. On failure returns what text it can (for error
/// positions) and `false`, with the problem added to `errors`.
pub fn read_text(root: &Path, rel: &str, errors: &mut Vec<Diagnostic>) -> (String, bool) {
    match std::fs::read(root.join(rel)) {
        Err(e) => {
            let hint = if root.join(rel).is_dir() {
                "this is a folder where a file was expected: rename or remove it"
            } else {
                "check that the file exists and that you may read it"
            };
            errors.push(Diagnostic::new(rel, None, format!("cannot read the file: {}", io_reason(&e))).hint(hint));
            (String::new(), false)
        }
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => (text, true),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                errors.push(
                    Diagnostic::at(rel, at..at + '\u{fffd}'.len_utf8(), "the file is not valid UTF-8")
                        .label("this byte is not UTF-8")
                        .hint("save the file with UTF-8 encoding in your editor"),
                );
                (text, false)
            }
        },
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "not found".into(),
        std::io::ErrorKind::IsADirectory => "it is a folder".into(),
        _ => e.to_string(),
    }
}

/// `.md` files under `dir` (relative to root), sorted, skipping hidden and
/// editor temporary files.
fn markdown_files(root: &Path, dir: &str, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    walk(root, dir, true, errors).into_iter().filter(|f| f.ends_with(".md")).map(|f| format!("{dir}/{f}")).collect()
}

/// Files under `dir` (relative to root), as paths relative to `dir`, sorted,
/// without hidden and editor backup files (`.x`, `x~`, `#x#`).
pub fn list_files(root: &Path, dir: &str, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    walk(root, dir, true, errors)
}

fn walk(root: &Path, dir: &str, skip_hidden: bool, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&base).follow_links(true).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !skip_hidden || !is_hidden(e.file_name())) {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if let Ok(rel) = e.path().strip_prefix(&base) {
                    out.push(slash_path(rel));
                }
            }
            Ok(_) => {}
            Err(e) => {
                let at = e.path().and_then(|p| p.strip_prefix(root).ok()).map_or_else(|| dir.to_string(), slash_path);
                let (message, hint) = if e.loop_ancestor().is_some() {
                    ("a symbolic link loops back to a folder above it", "remove the link or point it elsewhere")
                } else {
                    ("cannot read this folder", "check that the folder exists and that you may read it")
                };
                errors.push(Diagnostic::new(at, None, message).hint(hint));
            }
        }
    }
    out
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let n = name.to_string_lossy();
    n.starts_with('.') || n.ends_with('~') || n.starts_with('#')
}

/// A relative path with `/` separators on every platform.
pub fn slash_path(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Builds a [`Loaded`] from in-memory files, for unit tests of later stages.
#[cfg(test)]
pub fn from_texts(ladder_text: Option<&str>, stories: &[(&str, &str)]) -> Loaded {
    let mut errors = Vec::new();
    let ladder = ladder_text.and_then(|t| ladder::parse(t, &mut errors));
    let stories = stories
        .iter()
        .filter_map(|(name, text)| story::parse(&format!("content/stories/{name}.md"), text, &mut errors))
        .collect();
    Loaded {
        root: PathBuf::from("/nonexistent"),
        config: Config::defaults(),
        ladder,
        stories,
        pages: Vec::new(),
        static_files: Vec::new(),
        sources: Sources::default(),
        errors,
    }
}
