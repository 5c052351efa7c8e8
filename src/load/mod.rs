//! Stage 1, load: walk the site's files, read them as UTF-8 and parse each
//! one (site.toml, the ladder, stories, pages). Problems inside one file are
//! reported here; problems between files are `validate`'s job.

pub mod check;
pub mod config;
pub mod fields;
pub mod frontmatter;
pub mod jobs;
pub mod jobs_file;
pub mod ladder;
pub mod languages;
pub mod page;
pub mod story;
pub mod video;

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
    /// Open positions from the jobs files (see `jobs`), expired ones too.
    pub jobs: Vec<jobs::Job>,
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
    let (mut errors, mut sources) = (Vec::new(), Sources::default());
    match read_optional(root, config::FILE, &mut { MAX_DATA_BYTES }, &mut sources, &mut errors) {
        Some(text) => Config::parse(&text, &mut errors),
        None => Config::defaults(),
    }
}

/// The ladder alone, or `None` when it is absent or cannot be read (its
/// errors are `check`'s to report): what `new story` needs. Read like any
/// data file, so a FIFO or a huge file there does not hang it.
pub fn ladder_only(root: &Path) -> Option<Ladder> {
    let (mut errors, mut sources) = (Vec::new(), Sources::default());
    let text = read_optional(root, ladder::FILE, &mut { MAX_DATA_BYTES }, &mut sources, &mut errors)?;
    ladder::parse(&text, &mut errors)
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

    let mut budget = MAX_DATA_BYTES;
    let mut config = match read_optional(root, config::FILE, &mut budget, &mut sources, &mut errors) {
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
    let ladder = read_optional(root, ladder::FILE, &mut budget, &mut sources, &mut errors)
        .and_then(|text| ladder::parse(&text, &mut errors));

    let jobs = load_jobs(root, &mut budget, &mut sources, &mut errors);
    let story_files = markdown_files(root, "content/stories", &mut errors);
    let page_files = markdown_files(root, "content/pages", &mut errors);
    let stories = refresh(root, &story_files, &mut cache.stories, touched, story::parse, &mut sources, &mut errors);
    let pages = refresh(root, &page_files, &mut cache.pages, touched, page::parse, &mut sources, &mut errors);
    // Everything under static/ is published, hidden files too (`.well-known/`).
    let static_files = walk(root, "static", false, &mut errors);
    Loaded { root: root.to_path_buf(), config, ladder, stories, pages, jobs, static_files, sources, errors }
}

/// The jobs files: `content/jobs.json`, `content/jobs.csv` and
/// `content/jobs/*.toml`, within the data files' budget.
fn load_jobs(root: &Path, budget: &mut u64, sources: &mut Sources, errors: &mut Vec<Diagnostic>) -> Vec<jobs::Job> {
    let json = read_optional(root, jobs::JSON, budget, sources, errors);
    let csv = read_optional(root, jobs::CSV, budget, sources, errors);
    let tomls: Vec<(String, String)> = walk(root, jobs::DIR, true, errors)
        .into_iter()
        .filter(|f| f.ends_with(".toml"))
        .filter_map(|f| {
            let rel = format!("{}/{f}", jobs::DIR);
            read_optional(root, &rel, budget, sources, errors).map(|t| (rel, t))
        })
        .collect();
    jobs::parse_all(json.as_deref(), csv.as_deref(), &tomls, errors)
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

/// The most a story, page or template file may hold. Far above any real
/// one (a long story is 50 KB); it exists so that a mistake (a link to
/// `/dev/zero` is refused anyway, but a multi-gigabyte log renamed `.md`)
/// is an error naming the file, not a build that eats the machine's memory.
pub const MAX_FILE_BYTES: u64 = 10_000_000;

/// The most the data files (site.toml and the ladder) may hold together.
pub const MAX_DATA_BYTES: u64 = 50_000_000;

/// Reads a data file that may be absent, within what is left of `budget`
/// (shared by all data files, see [`MAX_DATA_BYTES`]); registers its text
/// for error reports.
fn read_optional(
    root: &Path,
    rel: &str,
    budget: &mut u64,
    sources: &mut Sources,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let path = root.join(rel);
    if !path.exists() && path.symlink_metadata().is_err() {
        return None;
    }
    // Not found by `walk`: `content/` itself may be a link out of the site.
    // (A device or FIFO is refused by the read, as what it is.)
    if let Some(outside) = path.is_file().then(|| leaves_site(root, &path)).flatten() {
        errors.push(outside_error(rel, &outside));
        return None;
    }
    let (text, ok) = read_capped(
        root,
        rel,
        Limit {
            bytes: *budget,
            total: MAX_DATA_BYTES,
            what: "data files (site.toml, the ladder, the jobs files) together",
        },
        errors,
    );
    *budget = budget.saturating_sub(text.len() as u64);
    sources.add(rel, &text);
    ok.then_some(text)
}

/// A read's size limit and how to name it in the error: `bytes` may be
/// what is left of a `total` shared by several files.
#[derive(Clone, Copy)]
struct Limit {
    bytes: u64,
    total: u64,
    what: &'static str,
}

/// Reads a story, page or template as UTF-8, up to [`MAX_FILE_BYTES`].
/// On failure returns what text it can (for error positions) and `false`,
/// with the problem added to `errors`.
pub fn read_text(root: &Path, rel: &str, errors: &mut Vec<Diagnostic>) -> (String, bool) {
    read_capped(
        root,
        rel,
        Limit { bytes: MAX_FILE_BYTES, total: MAX_FILE_BYTES, what: "each story, page and template" },
        errors,
    )
}

/// Reads `root/rel` if it is a regular file (after following links) of at
/// most `limit` bytes. A FIFO would block the open and the read forever
/// (deaf to Ctrl-C: the build is inside a system call), and a device such
/// as `/dev/zero` never ends: both are refused before anything is read.
/// The file is opened non-blocking, so even a file swapped for a FIFO
/// after the check does not hang, and its type is checked again on the
/// open handle; the read stops one byte past the limit whatever the size
/// said.
fn read_capped(root: &Path, rel: &str, limit: Limit, errors: &mut Vec<Diagnostic>) -> (String, bool) {
    use std::io::Read;
    let path = root.join(rel);
    let cannot = |errors: &mut Vec<Diagnostic>, e: &std::io::Error| {
        errors.push(
            Diagnostic::new(rel, None, format!("cannot read the file: {}", io_reason(e)))
                .hint("check that the file exists and that you may read it"),
        );
        (String::new(), false)
    };
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) => return cannot(errors, &e),
    };
    if let Some(refused) = not_regular(rel, &meta, limit) {
        errors.push(refused);
        return (String::new(), false);
    }
    // Files found by `walk` were checked there, folders and all; a file
    // itself turned into a link since (an edit `serve` picks up) is checked
    // here, at the cost of one `lstat` rather than two path resolutions.
    let linked = path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink());
    if let Some(outside) = linked.then(|| leaves_site(root, &path)).flatten() {
        errors.push(outside_error(rel, &outside));
        return (String::new(), false);
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut opts, libc::O_NONBLOCK | libc::O_NOCTTY);
    let file = match opts.open(&path) {
        Ok(f) => f,
        Err(e) => return cannot(errors, &e),
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => return cannot(errors, &e),
    };
    if let Some(refused) = not_regular(rel, &meta, limit) {
        errors.push(refused);
        return (String::new(), false);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    if let Err(e) = file.take(limit.bytes.saturating_add(1)).read_to_end(&mut bytes) {
        return cannot(errors, &e);
    }
    if bytes.len() as u64 > limit.bytes {
        errors.push(too_large(rel, bytes.len() as u64, limit));
        return (String::new(), false);
    }
    match String::from_utf8(bytes) {
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
    }
}

/// Where `path` really is (links resolved) when that is outside the site
/// folder `root`: nothing from outside the site is read into the output, so
/// a link to a key or to `/etc/passwd` in `static/` is not published.
/// `None` when it is inside, or when either cannot be resolved (reading it
/// then reports the problem).
pub fn leaves_site(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(path).ok()?;
    let site = std::fs::canonicalize(root).ok()?;
    (!real.starts_with(&site)).then_some(real)
}

fn outside_error(rel: &str, target: &Path) -> Diagnostic {
    Diagnostic::new(rel, None, format!("this symbolic link leads outside the site folder, to {}", target.display()))
        .hint("copy the file or folder into the site instead: storypath publishes only what is inside the site folder")
}

/// Why `meta` (of `rel`, links followed) is not a file to read: a folder,
/// anything but a regular file, or over `limit`.
fn not_regular(rel: &str, meta: &std::fs::Metadata, limit: Limit) -> Option<Diagnostic> {
    if meta.is_dir() {
        return Some(
            Diagnostic::new(rel, None, "cannot read the file: it is a folder")
                .hint("this is a folder where a file was expected: rename or remove it"),
        );
    }
    if !meta.is_file() {
        return Some(
            Diagnostic::new(rel, None, format!("this is {}, not a regular file", kind_of(meta)))
                .hint("storypath reads and publishes only regular files: remove it or replace it with the file itself"),
        );
    }
    (meta.len() > limit.bytes).then(|| too_large(rel, meta.len(), limit))
}

fn too_large(rel: &str, size: u64, limit: Limit) -> Diagnostic {
    let mb = |n: u64| format!("{:.1} MB", n as f64 / 1e6);
    let size = if size > limit.bytes.saturating_add(1) { mb(size) } else { format!("over {}", mb(limit.bytes)) };
    let over = if limit.bytes < limit.total {
        format!("the {} left of the limit of {}", mb(limit.bytes), mb(limit.total))
    } else {
        format!("the limit of {}", mb(limit.total))
    };
    Diagnostic::new(rel, None, format!("the file is too large: {size}, over {over}")).hint(format!(
        "storypath reads at most {} for {}: split the file, or check that it is the file you meant",
        mb(limit.total),
        limit.what
    ))
}

/// What a file that is not regular is, in words ("a FIFO (named pipe)").
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "a special file"
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

/// Files under `dir`, relative to it. Links are followed (a link loop is an
/// error). Anything that is neither a folder nor a regular file (a FIFO, a
/// device, a socket, whether there or behind a link) is a located error: it
/// would hang or never end when read or copied. So is a name that is not
/// UTF-8: it cannot be a URL or be written into the output, and `check`
/// must fail on it as `build` would (the folder named, the name shown
/// with its bad bytes replaced); a folder with such a name is not entered.
fn walk(root: &Path, dir: &str, skip_hidden: bool, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let shown = |p: &Path| p.strip_prefix(root).map_or_else(|_| dir.to_string(), slash_path);
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&base).follow_links(true).sort_by_file_name().into_iter();
    let mut walker = walker.filter_entry(|e| e.depth() == 0 || !skip_hidden || !is_hidden(e.file_name()));
    while let Some(entry) = walker.next() {
        // A link (or the folder itself) that resolves outside the site.
        // Links to devices and FIFOs are refused below, as what they are.
        let outside = entry
            .as_ref()
            .ok()
            .filter(|e| (e.depth() == 0 || e.path_is_symlink()) && (e.file_type().is_file() || e.file_type().is_dir()))
            .and_then(|e| leaves_site(root, e.path()));
        match entry {
            // Reported, and a linked folder is not entered.
            Ok(e) if outside.is_some() => {
                let target = outside.unwrap_or_default();
                errors.push(outside_error(&shown(e.path()), &target));
                if e.file_type().is_dir() {
                    walker.skip_current_dir();
                }
            }
            Ok(e) if e.depth() > 0 && e.file_name().to_str().is_none() => {
                let folder = e.path().parent().map_or_else(|| dir.to_string(), shown);
                let name = e.file_name().to_string_lossy();
                errors.push(
                    Diagnostic::new(folder, None, format!("the name {name:?} is not valid UTF-8"))
                        .hint("rename it using UTF-8 characters (storypath turns names into URLs)"),
                );
                if e.file_type().is_dir() {
                    walker.skip_current_dir();
                }
            }
            Ok(e) if e.file_type().is_file() => {
                if let Ok(rel) = e.path().strip_prefix(&base) {
                    out.push(slash_path(rel));
                }
            }
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                let kind = e.metadata().map_or("a special file", |m| kind_of(&m));
                errors
                    .push(Diagnostic::new(shown(e.path()), None, format!("this is {kind}, not a regular file")).hint(
                    "storypath reads and publishes only regular files: remove it or replace it with the file itself",
                ));
            }
            Err(e) => {
                let at = e.path().map_or_else(|| dir.to_string(), shown);
                let dangling = e.path().is_some_and(|p| p.symlink_metadata().is_ok() && !p.exists());
                let (message, hint) = if e.loop_ancestor().is_some() {
                    ("a symbolic link loops back to a folder above it", "remove the link or point it elsewhere")
                } else if dangling {
                    ("a symbolic link leads to nothing", "remove the link or point it at the file")
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
        jobs: Vec::new(),
        static_files: Vec::new(),
        sources: Sources::default(),
        errors,
    }
}
