//! The image cache: derived images and share cards, kept between builds in
//! a folder (`[images] cache_dir`, default `.storypath/cache` in the site
//! root), the idea behind Hugo's `resources/_gen`. A CI that keeps this
//! folder between runs never encodes the same image twice.
//!
//! Content-addressed: an entry's name is the BLAKE3 hash of everything it
//! is made from (the source's bytes, the crop, the size, the format and
//! [`super::PIPELINE`]), so an entry is never stale, only unused. Writes go
//! to a temporary file linked into place, so concurrent builds sharing the
//! folder never see half an entry (two writers of one name write the same
//! bytes, and the first one's file stays). Every entry a build uses has its
//! modification time set to now (at most once a day); entries unused for
//! `cache_max_age` are removed after a build (at most one build a day walks
//! the cache for them), and `storypath clean` removes them all.
//!
//! The folder is marked with a `CACHEDIR.TAG` (so backup tools skip it),
//! and entries live under `v1/`: `clean` removes only that, and only from a
//! folder carrying the tag, so a `cache_dir` that names a user's folder by
//! mistake loses nothing.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The standard cache-directory tag (<https://bford.info/cachedir/>).
const TAG: &str = "CACHEDIR.TAG";
const TAG_TEXT: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by storypath.\n\
# It holds derived images and share cards; `storypath clean` empties it.\n";
/// Touched by each prune, which then waits a day.
const PRUNED: &str = "last-pruned";
/// Entries' folder: a new layout gets a new name, never a mixed folder.
const ENTRIES: &str = "v1";

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache at `dir` (made on the first write).
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// Where the entry of `hash` with extension `ext` is (or would be).
    pub fn path(&self, kind: &str, hash: &str, ext: &str) -> PathBuf {
        self.dir.join(ENTRIES).join(kind).join(&hash[..2]).join(format!("{hash}.{ext}"))
    }

    /// The entry, if there is one. Marks it used.
    pub fn get(&self, kind: &str, hash: &str, ext: &str) -> Option<PathBuf> {
        let p = self.path(kind, hash, ext);
        let meta = fs::symlink_metadata(&p).ok()?;
        if !meta.file_type().is_file() {
            return None;
        }
        // Marked used at most once a day: the age limit counts in days, and
        // a warm build of 10,000 cards then costs one stat each.
        let day_old =
            meta.modified().ok().and_then(|t| t.elapsed().ok()).is_none_or(|age| age > Duration::from_secs(86_400));
        if day_old {
            touch(&p);
        }
        Some(p)
    }

    /// Stores `bytes` as the entry and returns its path. Written beside it
    /// first, then renamed into place.
    pub fn put(&self, kind: &str, hash: &str, ext: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
        let p = self.path(kind, hash, ext);
        let folder = p.parent().expect("entries have a folder");
        let tmp = folder.join(format!(".{hash}.{}.{}.tmp", std::process::id(), unique()));
        let written = (|| {
            // The folder usually exists: made only when the file cannot be.
            let mut f = match fs::File::create(&tmp) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    fs::create_dir_all(folder)?;
                    self.tag();
                    fs::File::create(&tmp)?
                }
                other => other?,
            };
            f.write_all(bytes)?;
            // No fsync: one per entry made a cold build of 10,000 cards
            // wait on the disk 10,000 times. An entry lost to a power cut is
            // made again by the next build that misses it.
            drop(f);
            // Linked in, not renamed over: an entry another build made in
            // the meantime (the same bytes) stays the file it is, so outputs
            // linked to it keep sharing it.
            match fs::hard_link(&tmp, &p) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
                Err(_) => fs::rename(&tmp, &p),
                Ok(()) => Ok(()),
            }
        })();
        let _ = fs::remove_file(&tmp);
        written.map(|()| p)
    }

    /// Makes the finished file `file` the entry too (a hard link), when it
    /// can: a share card drawn straight into the output, then linked in,
    /// costs two file operations fewer than one written here and linked
    /// out (four to six system calls for each of 10,000 cards of a first
    /// build). The file is complete before it is linked, so no build sees
    /// half an entry; an entry already there stays. Where links fail (the
    /// cache on another file system) the entry is written as [`Self::put`]
    /// writes it.
    pub fn adopt(&self, kind: &str, hash: &str, ext: &str, file: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let p = self.path(kind, hash, ext);
        let link = || match fs::hard_link(file, &p) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            other => other,
        };
        let linked = match link() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                fs::create_dir_all(p.parent().expect("entries have a folder"))?;
                self.tag();
                link()
            }
            other => other,
        };
        match linked {
            Ok(()) => Ok(()),
            Err(_) => self.put(kind, hash, ext, bytes).map(|_| ()),
        }
    }

    /// A small text entry (what a source is: its hash and size), or None.
    pub fn get_text(&self, kind: &str, hash: &str) -> Option<String> {
        fs::read_to_string(self.path(kind, hash, "txt")).ok()
    }

    fn tag(&self) {
        let tag = self.dir.join(TAG);
        if !tag.exists() {
            let _ = fs::write(tag, TAG_TEXT);
        }
    }

    /// Removes entries not used for `max_age`, at most once a day (the age
    /// limit counts in days, and a walk of the whole cache would otherwise
    /// cost every warm build a stat per entry). Says how many went. Errors
    /// are ignored: an entry another build is using right now may be gone
    /// already.
    pub fn prune(&self, max_age: Duration) -> usize {
        let Some(limit) = SystemTime::now().checked_sub(max_age) else {
            return 0;
        };
        let stamp = self.dir.join(PRUNED);
        let recent = fs::metadata(&stamp)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age < Duration::from_secs(86_400));
        if recent || !self.dir.is_dir() {
            return 0;
        }
        let _ = fs::write(&stamp, "The last time a build removed unused entries.\n");
        let mut removed = 0;
        for entry in walkdir::WalkDir::new(self.dir.join(ENTRIES)).into_iter().flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let old = entry.metadata().ok().and_then(|m| m.modified().ok()).is_some_and(|t| t < limit);
            if old && fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    /// `storypath clean`: removes every entry. Refuses a folder without the
    /// cache tag that holds anything but entries (it is not ours).
    pub fn clean(&self) -> Result<Cleaned, String> {
        let entries = self.dir.join(ENTRIES);
        if !self.dir.exists() {
            return Ok(Cleaned { files: 0, bytes: 0 });
        }
        if !self.dir.join(TAG).is_file() {
            return Err(format!(
                "{} has no {TAG}: it is not a storypath cache, so nothing was removed",
                self.dir.display()
            ));
        }
        let (mut files, mut bytes) = (0, 0);
        for entry in walkdir::WalkDir::new(&entries).into_iter().flatten() {
            if entry.file_type().is_file() {
                files += 1;
                bytes += entry.metadata().map_or(0, |m| m.len());
            }
        }
        match fs::remove_dir_all(&entries) {
            Ok(()) => Ok(Cleaned { files, bytes }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Cleaned { files: 0, bytes: 0 }),
            Err(e) => Err(format!("cannot remove {}: {e}", entries.display())),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// What `clean` removed.
#[derive(Debug, PartialEq, Eq)]
pub struct Cleaned {
    pub files: usize,
    pub bytes: u64,
}

/// Hard-links an entry into the output (a build's output never changes a
/// file in place: it is replaced whole), or copies it where links fail
/// (another file system, a file system without them). NotFound is returned
/// as is (a missing folder or entry).
pub fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(e),
        Err(_) => fs::copy(from, to).map(|_| ()),
    }
}

/// Marks an entry used now (for the age limit). Best effort.
fn touch(p: &Path) {
    if let Ok(f) = fs::File::options().append(true).open(p) {
        let _ = f.set_modified(SystemTime::now());
    }
}

/// A number no other temporary file of this process has.
fn unique() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The hex BLAKE3 hash of `parts`, each length-prefixed (so `("ab","c")`
/// and `("a","bc")` differ).
pub fn hash(parts: &[&[u8]]) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_stored_found_and_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::new(dir.path().join("cache"));
        let h = hash(&[b"x"]);
        assert!(c.get("img", &h, "webp").is_none());
        let p = c.put("img", &h, "webp", b"bytes").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"bytes");
        assert_eq!(c.get("img", &h, "webp"), Some(p));
        assert!(dir.path().join("cache").join(TAG).is_file());
        assert_eq!(c.clean().unwrap(), Cleaned { files: 1, bytes: 5 });
        assert!(c.get("img", &h, "webp").is_none());
        assert!(dir.path().join("cache").join(TAG).is_file(), "the tag stays");
    }

    #[test]
    fn entries_unused_for_the_age_limit_go_at_most_once_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::new(dir.path().join("cache"));
        let (old, new) = (hash(&[b"old"]), hash(&[b"new"]));
        let old_file = c.put("img", &old, "jpg", b"o").unwrap();
        c.put("img", &new, "jpg", b"n").unwrap();
        let age = |days: u64| SystemTime::now() - Duration::from_secs(days * 86_400);
        fs::File::options().write(true).open(&old_file).unwrap().set_modified(age(40)).unwrap();
        assert_eq!(c.prune(Duration::from_secs(30 * 86_400)), 1);
        assert!(c.get("img", &old, "jpg").is_none() && c.get("img", &new, "jpg").is_some());
        // Pruned today: the next build does not walk the cache again ...
        let again = c.put("img", &old, "jpg", b"o").unwrap();
        fs::File::options().write(true).open(&again).unwrap().set_modified(age(40)).unwrap();
        assert_eq!(c.prune(Duration::from_secs(30 * 86_400)), 0);
        assert!(again.is_file());
        // ... until a day has gone.
        fs::File::options()
            .write(true)
            .open(dir.path().join("cache").join(PRUNED))
            .unwrap()
            .set_modified(age(2))
            .unwrap();
        assert_eq!(c.prune(Duration::from_secs(30 * 86_400)), 1);
        assert!(!again.exists());
    }

    #[test]
    fn clean_refuses_a_folder_that_is_not_a_cache() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("v1")).unwrap();
        fs::write(dir.path().join("v1/keep.txt"), "mine").unwrap();
        assert!(Cache::new(dir.path().to_path_buf()).clean().is_err());
        assert!(dir.path().join("v1/keep.txt").is_file());
    }

    #[test]
    fn hashes_separate_their_parts() {
        assert_ne!(hash(&[b"ab", b"c"]), hash(&[b"a", b"bc"]));
        assert_eq!(hash(&[b"ab"]).len(), 64);
    }
}
