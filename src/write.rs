//! Stage 5, write: put every output file into a fresh folder beside the
//! output folder, then swap it in. A build that fails at any point before
//! the swap leaves the previous output exactly as it was, and no temporary
//! folder behind.
//!
//! Files are written as they are rendered ([`Staging::put`] is called from
//! the render threads), so a build never holds the whole site in memory.
//!
//! The swap is one step where the system has one (Linux: `renameat2` with
//! `RENAME_EXCHANGE` puts the new folder at the output's name and the old
//! one at the temporary name at once), else two renames. A build that is
//! interrupted ([`interrupt`], from Ctrl-C or SIGTERM) stops writing,
//! removes its temporary folder and leaves the old output; once the swap
//! has begun it is finished first. Either way the output folder is the old
//! build or the new one, never a mix.
//!
//! The output folder is storypath's alone: [`check_output`] refuses a
//! folder that is or touches the site's sources, a file, or a folder of
//! someone else's files (one without the [`MARKER`] a build leaves), and
//! the paths named by `keep` (a deploy checkout's `.git`, `CNAME`) are
//! moved from the old output into the new one just before the swap.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Asks a running build to stop (called from the signal handler): the next
/// file it writes fails instead, and nothing is swapped in.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Whether [`interrupt`] was called.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// For tests of failures mid-write: with `STORYPATH_FAIL_AFTER_WRITES=N` in
/// the environment, the write after the first N fails as a full disk would.
fn injected_fault() -> bool {
    static LIMIT: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let limit = LIMIT.get_or_init(|| std::env::var("STORYPATH_FAIL_AFTER_WRITES").ok()?.parse().ok());
    limit.is_some_and(|n| WRITES.fetch_add(1, Ordering::SeqCst) >= n)
}

use crate::diagnostics::Diagnostic;
use crate::render::{Content, Output};
use std::fs;
use std::path::{Path, PathBuf};

/// The file storypath puts at the top of every output folder it makes. A
/// build replaces only a folder that holds it (or is empty), so a mistyped
/// `--output-dir` cannot wipe a folder of someone's files.
pub const MARKER: &str = ".storypath-output";

const MARKER_TEXT: &str = "This folder is made by `storypath build`, which replaces it on every build\n\
(keeping only the paths named by site.toml's `keep`: .git, CNAME, .nojekyll and _redirects by default).\n\
Delete this file to keep storypath from ever replacing the folder.\n";

/// Folders of the site that an output folder may not be, hold or lie in.
pub const SOURCE_FOLDERS: &[&str] = &["content", "static", "templates", "themes", "i18n"];

/// A temporary output folder that becomes the output folder on
/// [`Staging::commit`], and is removed if dropped before that.
pub struct Staging {
    tmp: PathBuf,
    old: PathBuf,
    /// The output folder as the user named it, for messages.
    shown: PathBuf,
    /// The real output folder: symbolic links resolved, so that a linked
    /// `public/` is built into (and swapped at) its target, and the link
    /// stays as it was.
    out_dir: PathBuf,
    keep: Vec<String>,
    /// Kept paths moved from the old output into the new one by `commit`,
    /// to move back if the swap fails.
    moved: Vec<String>,
    committed: bool,
}

impl Staging {
    /// Refuses output folders that are not storypath's to replace (see
    /// [`check_output`]), then makes the temporary folder beside the real
    /// output folder, with the marker in it. `keep` names the paths of the
    /// old output that the new one takes over.
    pub fn new(root: &Path, out_dir: &Path, keep: &[String]) -> Result<Staging, Diagnostic> {
        let real = check_output(root, out_dir, keep)?;
        let fail = |msg: String, hint: &str| problem(out_dir, msg, hint);
        let name = real.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let parent = real.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
        fs::create_dir_all(&parent).map_err(|e| {
            fail(format!("cannot create the output's parent folder: {e}"), "check the path and its permissions")
        })?;
        let tmp = parent.join(format!(".{name}.storypath-new-{}", std::process::id()));
        let old = parent.join(format!(".{name}.storypath-old-{}", std::process::id()));
        remove_tree(&tmp);
        fs::create_dir(&tmp).and_then(|()| fs::write(tmp.join(MARKER), MARKER_TEXT)).map_err(|e| {
            remove_tree(&tmp);
            fail(format!("cannot create a temporary folder beside the output: {e}"), "check the folder's permissions")
        })?;
        Ok(Staging {
            tmp,
            old,
            shown: out_dir.to_path_buf(),
            out_dir: real,
            keep: keep.to_vec(),
            moved: Vec::new(),
            committed: false,
        })
    }

    /// Where the output file at `path` goes in the temporary folder. Every
    /// write goes through here: `path` must be relative with plain segments
    /// (no `..`, `.`, empty segment, backslash, NUL or the marker's name), so
    /// the file lands inside the temporary folder whatever a path was made
    /// from. The folder is fresh and holds only folders and files made by
    /// this build, so no link inside it can lead out.
    fn dest(&self, path: &str) -> Result<PathBuf, Diagnostic> {
        if path == MARKER || !crate::text::is_plain_relative(path) {
            return Err(problem(
                &self.shown,
                format!("refused to write `{}`: not a plain path inside the output folder", path.escape_debug()),
                "this is a bug in storypath or a theme: please report it with the site that causes it",
            ));
        }
        Ok(self.tmp.join(path))
    }

    /// Writes one file into the temporary folder. Safe to call from many
    /// threads at once.
    pub fn put(&self, o: &Output) -> Result<(), Diagnostic> {
        if interrupted() {
            return Err(problem(&self.shown, "the build was interrupted".into(), "run the build again"));
        }
        if injected_fault() {
            return Err(problem(
                &self.shown,
                format!("cannot write {}: no space left on device (injected by STORYPATH_FAIL_AFTER_WRITES)", o.path),
                "check free disk space and the output folder's permissions",
            ));
        }
        let dest = self.dest(&o.path)?;
        let write = || -> std::io::Result<()> {
            match &o.content {
                Content::File(src) => in_folder(&dest, || fs::copy(src, &dest).map(|_| ())),
                Content::Cached(entry) => in_folder(&dest, || crate::media::cache::link_or_copy(entry, &dest)),
                // Linked from the image cache, or drawn into it first.
                Content::Drawn(img) => in_folder(&dest, || img.write(&dest)),
                other => {
                    let bytes = other.bytes()?;
                    in_folder(&dest, || fs::write(&dest, &bytes))
                }
            }
        };
        write().map_err(|e| {
            problem(
                &self.shown,
                format!("cannot write {}: {e}", o.path),
                "check free disk space and the output folder's permissions",
            )
        })
    }

    /// Moves the kept paths of the old output (those the new one does not
    /// have itself) into the temporary folder, each by one rename.
    fn take_kept(&mut self) -> Result<(), Diagnostic> {
        for k in self.keep.clone() {
            let (from, to) = (self.out_dir.join(&k), self.tmp.join(&k));
            if fs::symlink_metadata(&from).is_err() || fs::symlink_metadata(&to).is_ok() {
                continue;
            }
            let moved = in_folder(&to, || fs::rename(&from, &to));
            if let Err(e) = moved {
                self.give_back_kept();
                return Err(problem(
                    &self.shown,
                    format!("cannot carry `{k}` over to the new output: {e}"),
                    "check the output folder's permissions",
                ));
            }
            self.moved.push(k);
        }
        Ok(())
    }

    /// Undoes [`Staging::take_kept`]: the old output gets its kept paths back.
    fn give_back_kept(&mut self) {
        for k in std::mem::take(&mut self.moved) {
            let _ = fs::rename(self.tmp.join(&k), self.out_dir.join(&k));
        }
    }

    /// Swaps the temporary folder in as the output folder: in one step
    /// where the system can (see the module's doc), else by two renames.
    /// The kept paths move from the old output into the new one first.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let shown = self.shown.clone();
        let fail = |msg: String, hint: &str| problem(&shown, msg, hint);
        if interrupted() {
            return Err(fail("the build was interrupted".into(), "run the build again"));
        }
        let out_dir = self.out_dir.clone();
        let had_old = fs::symlink_metadata(&out_dir).is_ok();
        if had_old {
            self.take_kept()?;
        }
        if had_old && exchange(&self.tmp, &out_dir) {
            // The old output now sits at the temporary name.
            self.committed = true;
            remove_tree(&self.tmp);
            return Ok(());
        }
        if had_old {
            if let Err(e) = fs::rename(&out_dir, &self.old) {
                self.give_back_kept();
                return Err(fail(
                    format!("cannot replace the output folder: {e}"),
                    "close programs using it and try again",
                ));
            }
        }
        if let Err(e) = fs::rename(&self.tmp, &out_dir) {
            if had_old {
                let _ = fs::rename(&self.old, &out_dir);
                self.give_back_kept();
            }
            return Err(fail(
                format!("cannot move the new output in place: {e}"),
                "check the output folder's permissions",
            ));
        }
        self.committed = true;
        if had_old {
            remove_tree(&self.old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            self.give_back_kept();
            remove_tree(&self.tmp);
        }
    }
}

/// Replaces one file of the site whole (`jobs pull`'s jobs file, the
/// CMS's files): written beside it under a hidden `.tmp` name (which
/// `serve` and the build skip), flushed, then renamed over it, so a reader
/// never sees half a file and a failure leaves the old one as it was.
pub fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Whether `out_dir` may be the output folder of the site at `root`, and
/// its real path (symbolic links resolved) if so. Refused: an empty path;
/// the site folder or one holding it; a source folder (`content/`,
/// `static/`, `templates/`, `themes/`, `i18n/`), one inside one or one
/// holding one; an existing file; a link to nothing; and a folder that is
/// not empty (apart from the `keep` paths) and has no [`MARKER`].
pub fn check_output(root: &Path, out_dir: &Path, keep: &[String]) -> Result<PathBuf, Diagnostic> {
    let own = "choose an output folder of its own, like public/ (the default)";
    let refuse = |msg: String, hint: &str| Err(problem(out_dir, msg, hint));
    if out_dir.as_os_str().is_empty() {
        return refuse("the output folder is an empty path".into(), own);
    }
    let real = real_path(out_dir);
    let site = real_path(root);
    if site.starts_with(&real) {
        let what = if site == real { "is the site folder" } else { "holds the site folder" };
        return refuse(format!("the output folder {what}; building would replace the site"), own);
    }
    for src in SOURCE_FOLDERS {
        let folder = real_path(&root.join(src));
        let relation = if real == folder {
            "is"
        } else if real.starts_with(&folder) {
            "is inside"
        } else if folder.starts_with(&real) {
            "holds"
        } else {
            continue;
        };
        return refuse(
            format!("the output folder {relation} the site's {src}/ folder; building would replace it"),
            own,
        );
    }
    let meta = match fs::symlink_metadata(&real) {
        Err(_) => return Ok(real),
        Ok(m) => m,
    };
    if meta.file_type().is_symlink() {
        return refuse(
            "the output folder is a symbolic link to nothing".into(),
            "point the link at a folder, or remove it and storypath makes the folder",
        );
    }
    if !meta.is_dir() {
        return refuse(
            "the output folder is an existing file".into(),
            "pass a folder: a build writes a whole site there",
        );
    }
    if real.join(MARKER).is_file() {
        return Ok(real);
    }
    let entries = fs::read_dir(&real).map_err(|e| {
        problem(out_dir, format!("cannot read the output folder: {e}"), "check the folder's permissions")
    })?;
    let mut others: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.iter().any(|k| k == n))
        .collect();
    if others.is_empty() {
        return Ok(real);
    }
    others.sort();
    let shown: Vec<&str> = others.iter().take(3).map(String::as_str).collect();
    let more = if others.len() > 3 { format!(" and {} more", others.len() - 3) } else { String::new() };
    refuse(
        format!("the output folder is not empty and was not made by storypath (it holds {}{more})", shown.join(", ")),
        &format!(
            "a build replaces its output folder whole, so it takes only an empty folder or one it made \
             (marked by a {MARKER} file): pass a new folder, or empty this one if its files are not needed"
        ),
    )
}

/// `p` made absolute with every symbolic link in it resolved, as far as
/// the path exists; the rest is appended as written (`..` taken lexically
/// only where nothing is left to resolve).
fn real_path(p: &Path) -> PathBuf {
    use std::path::Component;
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf())
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => {
                out.push(n);
                if let Ok(resolved) = fs::canonicalize(&out) {
                    out = resolved;
                }
            }
        }
    }
    out
}

/// Runs `make` (which creates the file `dest`), creating `dest`'s folder
/// first when it is missing. Tried without the folder first: most files go
/// into folders that already exist (share cards, assets), and asking for the
/// folder of each cost two system calls a file that contend on one
/// directory lock.
fn in_folder(dest: &Path, make: impl Fn() -> std::io::Result<()>) -> std::io::Result<()> {
    match make() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => {
                fs::create_dir_all(p)?;
                make()
            }
            _ => Err(e),
        },
        r => r,
    }
}

/// Exchanges two paths in one step (Linux `renameat2` with
/// `RENAME_EXCHANGE`); false where that is not supported.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) =
        (std::ffi::CString::new(a.as_os_str().as_bytes()), std::ffi::CString::new(b.as_os_str().as_bytes()))
    else {
        return false;
    };
    // The system call itself, not glibc's wrapper: musl (the static release
    // binaries) has no `renameat2` function, but every Linux since 3.15 has the call.
    // SAFETY: both paths are NUL-terminated C strings that outlive the call;
    // AT_FDCWD makes them relative to the working folder, like fs::rename.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    r == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Removes a folder and everything in it, sub-folders in parallel: the
/// previous output of a large site is tens of thousands of files, and
/// removing them one by one took a sixth of a build. Best effort.
///
/// A symbolic link is removed, never followed: removing a folder must not
/// empty what a link in it points to.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        let _ = fs::remove_file(dir);
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<fs::DirEntry> = entries.filter_map(Result::ok).collect();
    entries.par_iter().for_each(|e| match e.file_type() {
        Ok(t) if t.is_dir() => remove_tree(&e.path()),
        _ => {
            let _ = fs::remove_file(e.path());
        }
    });
    let _ = fs::remove_dir(dir);
}

fn problem(out_dir: &Path, msg: String, hint: &str) -> Diagnostic {
    Diagnostic::new(out_dir.display().to_string(), None, msg).hint(hint)
}
