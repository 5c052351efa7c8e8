//! Watches the folders a site is made from and turns file-system events into
//! the set of site files that changed. Only `site.toml`, `content/`,
//! `static/`, `templates/`, `themes/` and `i18n/` are watched (never the output folder
//! or `target/`), and editor leftovers (swap files, backups, lock files) are
//! left out, so saving from any editor means one rebuild.

use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

/// The folders watched recursively; the root itself is watched alone for
/// `site.toml` and for these folders appearing.
pub const FOLDERS: &[&str] = &["content", "static", "templates", "themes", "i18n"];

/// A watcher sending batches of changed paths (relative to `root`, with `/`
/// separators) as `on_change(paths)` messages.
pub struct Watch {
    watcher: notify::RecommendedWatcher,
    root: PathBuf,
    watched: Vec<&'static str>,
}

impl Watch {
    pub fn start<M: Send + 'static>(
        root: &Path,
        tx: Sender<M>,
        on_change: impl Fn(Vec<String>) -> M + Send + 'static,
    ) -> notify::Result<Watch> {
        let base = root.to_path_buf();
        let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(event) = res else { return };
            // Reads (ours included) are not changes.
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            let paths: Vec<String> = event.paths.iter().filter_map(|p| relevant(&base, p)).collect();
            if !paths.is_empty() {
                let _ = tx.send(on_change(paths));
            }
        })?;
        let mut w = Watch { watcher, root: root.to_path_buf(), watched: Vec::new() };
        w.watcher.watch(root, RecursiveMode::NonRecursive)?;
        w.refresh(&Default::default());
        Ok(w)
    }

    /// Watches the site folders that exist and are not watched yet (e.g.
    /// `templates/` created after the start), and watches again those that
    /// were themselves replaced (a folder deleted and made anew, as a
    /// `git checkout` may do, loses its watch).
    pub fn refresh(&mut self, touched: &std::collections::BTreeSet<String>) {
        for dir in FOLDERS {
            let path = self.root.join(dir);
            if self.watched.contains(dir) && touched.contains(*dir) {
                let _ = self.watcher.unwatch(&path);
                self.watched.retain(|d| d != dir);
            }
            if !self.watched.contains(dir)
                && path.is_dir()
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(dir);
            }
        }
        self.watched.retain(|d| self.root.join(d).is_dir());
    }
}

/// The path relative to the root when a change to it can change the site.
pub fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = crate::load::slash_path(path.strip_prefix(root).ok()?);
    let name = rel.rsplit('/').next().unwrap_or("");
    if editor_leftover(name) {
        return None;
    }
    let top = rel.split('/').next().unwrap_or("");
    let inside = FOLDERS.contains(&top);
    // Content files that start with a dot are skipped by the build too;
    // under static/ they are published (`.well-known/`).
    let hidden_content = top == "content" && rel.split('/').any(|s| s.starts_with('.'));
    (rel == crate::load::config::FILE || (inside && !hidden_content)).then_some(rel)
}

/// Files editors write beside the one being saved.
fn editor_leftover(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".crswap", ".kate-swp"].iter().any(|e| name.ends_with(e))
        || name == "4913"
        || name.starts_with(".goutputstream-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_site_files_and_drops_leftovers() {
        let root = Path::new("/site");
        let rel = |p: &str| relevant(root, &root.join(p));
        assert_eq!(rel("site.toml").as_deref(), Some("site.toml"));
        assert_eq!(rel("content/stories/ana.md").as_deref(), Some("content/stories/ana.md"));
        assert_eq!(rel("static/.well-known/security.txt").as_deref(), Some("static/.well-known/security.txt"));
        assert_eq!(rel("themes/x/templates/base.html").as_deref(), Some("themes/x/templates/base.html"));
        for p in [
            "public/index.html",
            "target/debug/x",
            "content/stories/.ana.md.swp",
            "content/stories/ana.md~",
            "content/stories/4913",
            "content/stories/#ana.md#",
            "content/stories/.#ana.md",
            "content/.hidden/a.md",
            "README.md",
        ] {
            assert_eq!(rel(p), None, "{p}");
        }
        assert_eq!(relevant(root, Path::new("/elsewhere/site.toml")), None);
    }
}
