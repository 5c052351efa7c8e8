//! Stage 5, write: put every output file into a fresh folder beside the
//! output folder, then swap it in. A build that fails at any point before
//! the swap leaves the previous output exactly as it was.

use crate::diagnostics::Diagnostic;
use crate::render::{Content, Output};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Writes `outputs` to `out_dir` atomically (as far as the file system allows:
/// two renames). Refuses output folders that would destroy the site itself.
pub fn write(outputs: &[Output], root: &Path, out_dir: &Path) -> Result<(), Diagnostic> {
    let fail = |msg: String, hint: &str| Diagnostic::new(out_dir.display().to_string(), None, msg).hint(hint);
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
    if let Err(e) = write_all(outputs, &tmp) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(fail(
            format!("cannot write the output: {e}"),
            "check free disk space and the output folder's permissions",
        ));
    }
    let had_old = out_dir.exists();
    if had_old {
        if let Err(e) = fs::rename(out_dir, &old) {
            let _ = fs::remove_dir_all(&tmp);
            return Err(fail(
                format!("cannot replace the output folder: {e}"),
                "close programs using it and try again",
            ));
        }
    }
    if let Err(e) = fs::rename(&tmp, out_dir) {
        if had_old {
            let _ = fs::rename(&old, out_dir);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(fail(format!("cannot move the new output in place: {e}"), "check the output folder's permissions"));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}

fn write_all(outputs: &[Output], dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let parents: BTreeSet<PathBuf> =
        outputs.iter().filter_map(|o| Path::new(&o.path).parent().map(|p| dir.join(p))).collect();
    for p in parents {
        fs::create_dir_all(p)?;
    }
    outputs.par_iter().try_for_each(|o| {
        let dest = dir.join(&o.path);
        match &o.content {
            Content::Bytes(b) => fs::write(dest, b),
            Content::Embedded(b) => fs::write(dest, b),
            Content::File(src) => fs::copy(src, dest).map(|_| ()),
        }
    })
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
