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

/// A temporary output folder that becomes the output folder on
/// [`Staging::commit`], and is removed if dropped before that.
pub struct Staging {
    tmp: PathBuf,
    old: PathBuf,
    out_dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Refuses output folders that would destroy the site itself, then
    /// makes the temporary folder beside `out_dir`.
    pub fn new(root: &Path, out_dir: &Path) -> Result<Staging, Diagnostic> {
        let fail = |msg: String, hint: &str| problem(out_dir, msg, hint);
        guard(root, out_dir).map_err(|m| fail(m, "choose an output folder of its own, like public/"))?;
        let name = out_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let parent = out_dir.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        let parent = if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent };
        fs::create_dir_all(&parent).map_err(|e| {
            fail(format!("cannot create the output's parent folder: {e}"), "check the path and its permissions")
        })?;
        let tmp = parent.join(format!(".{name}.storypath-new-{}", std::process::id()));
        let old = parent.join(format!(".{name}.storypath-old-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&tmp).map_err(|e| {
            fail(format!("cannot create a temporary folder beside the output: {e}"), "check the folder's permissions")
        })?;
        Ok(Staging { tmp, old, out_dir: out_dir.to_path_buf(), committed: false })
    }

    /// Writes one file into the temporary folder. Safe to call from many
    /// threads at once.
    pub fn put(&self, o: &Output) -> Result<(), Diagnostic> {
        if interrupted() {
            return Err(problem(&self.out_dir, "the build was interrupted".into(), "run the build again"));
        }
        if injected_fault() {
            return Err(problem(
                &self.out_dir,
                format!("cannot write {}: no space left on device (injected by STORYPATH_FAIL_AFTER_WRITES)", o.path),
                "check free disk space and the output folder's permissions",
            ));
        }
        let dest = self.tmp.join(&o.path);
        let write = || -> std::io::Result<()> {
            match &o.content {
                Content::File(src) => in_folder(&dest, || fs::copy(src, &dest).map(|_| ())),
                // A share card's name carries a hash of what it shows: the
                // previous output's file of that name is the same drawing.
                Content::ShareCard(_) if self.reuse(&o.path, &dest) => Ok(()),
                other => {
                    let bytes = other.bytes()?;
                    in_folder(&dest, || fs::write(&dest, &bytes))
                }
            }
        };
        write().map_err(|e| {
            problem(
                &self.out_dir,
                format!("cannot write {}: {e}", o.path),
                "check free disk space and the output folder's permissions",
            )
        })
    }

    /// Links (or, where links are not supported, copies) the previous
    /// output's file at `path` to `dest`; false when there is none.
    fn reuse(&self, path: &str, dest: &Path) -> bool {
        let previous = self.out_dir.join(path);
        match in_folder(dest, || fs::hard_link(&previous, dest)) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(_) => previous.is_file() && fs::copy(&previous, dest).is_ok(),
        }
    }

    /// Swaps the temporary folder in as the output folder: in one step
    /// where the system can (see the module's doc), else by two renames.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let out_dir = self.out_dir.clone();
        let fail = |msg: String, hint: &str| problem(&out_dir, msg, hint);
        if interrupted() {
            return Err(fail("the build was interrupted".into(), "run the build again"));
        }
        let had_old = out_dir.exists();
        if had_old && exchange(&self.tmp, &out_dir) {
            // The old output now sits at the temporary name.
            self.committed = true;
            remove_tree(&self.tmp);
            return Ok(());
        }
        if had_old {
            fs::rename(&out_dir, &self.old).map_err(|e| {
                fail(format!("cannot replace the output folder: {e}"), "close programs using it and try again")
            })?;
        }
        if let Err(e) = fs::rename(&self.tmp, &out_dir) {
            if had_old {
                let _ = fs::rename(&self.old, &out_dir);
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
            remove_tree(&self.tmp);
        }
    }
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
    // SAFETY: both paths are NUL-terminated C strings that outlive the call;
    // AT_FDCWD makes them relative to the working folder, like fs::rename.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    r == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Removes a folder and everything in it, sub-folders in parallel: the
/// previous output of a large site is tens of thousands of files, and
/// removing them one by one took a sixth of a build. Best effort.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let Ok(entries) = fs::read_dir(dir) else {
        let _ = fs::remove_file(dir);
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

/// The output folder may not be the site root, hold it, or look like a site.
fn guard(root: &Path, out_dir: &Path) -> Result<(), String> {
    let canon = |p: &Path| fs::canonicalize(p).ok();
    if let (Some(r), Some(o)) = (canon(root), canon(out_dir)) {
        if r.starts_with(&o) {
            return Err("the output folder is the site folder or holds it; building would delete the site".into());
        }
    }
    if out_dir.join("site.toml").exists() || out_dir.join("content").is_dir() {
        return Err("the output folder holds site.toml or content/; it looks like a site, not a build output".into());
    }
    Ok(())
}
