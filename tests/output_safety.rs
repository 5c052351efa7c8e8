//! The output folder is storypath's alone, and nothing a site holds can make
//! a build write outside it or replace what it generates (issue: safe by
//! construction). Each case runs the real binary on a copy of a small site
//! and checks that refused builds exit 1 with a clear message and leave
//! every file, of the site and around it, byte for byte as it was.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A copy of tests/sites/small in a fresh temporary folder (the site is its
/// `site/` sub-folder, so that files written beside or above it show up).
fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_site(&repo().join("tests/sites/small"), &root);
    (tmp, root)
}

fn run(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["build", "--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    storypath(&all)
}

/// Every file and link under `dir` (links by their target, not followed),
/// but the image cache's folder, which is storypath's and not output.
fn everything(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_entry(|e| e.file_name() != ".storypath")
    {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        let what = if e.path_is_symlink() {
            format!("link -> {}", std::fs::read_link(e.path()).unwrap().display())
        } else if e.file_type().is_file() {
            format!("{:?}", std::fs::read(e.path()).unwrap())
        } else {
            "dir".into()
        };
        out.insert(rel, what);
    }
    out
}

fn assert_refused(o: &std::process::Output, words: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(words), "expected `{words}` in:\n{err}");
    assert!(err.contains("= help: "), "no hint:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn source_folders_are_never_the_output() {
    let (tmp, root) = site();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/extra.html"), "{{ site.title }}").unwrap();
    std::fs::create_dir_all(root.join("themes/mine/templates")).unwrap();
    std::fs::write(root.join("themes/mine/templates/x.html"), "x").unwrap();
    std::fs::create_dir_all(root.join("static/img")).unwrap();
    std::fs::write(root.join("static/img/a.txt"), "a").unwrap();
    let before = everything(tmp.path());
    let r = root.to_str().unwrap().to_string();
    let cases: Vec<(String, &str)> = vec![
        (format!("{r}/content"), "is the site's content/ folder"),
        (format!("{r}/content/stories"), "is inside the site's content/ folder"),
        (format!("{r}/templates"), "is the site's templates/ folder"),
        (format!("{r}/themes/mine"), "is inside the site's themes/ folder"),
        (format!("{r}/static/public"), "is inside the site's static/ folder"),
        (format!("{r}/static"), "is the site's static/ folder"),
        (r.clone(), "is the site folder"),
        (format!("{r}/content/../."), "is the site folder"),
        (tmp.path().to_str().unwrap().to_string(), "holds the site folder"),
        ("/".into(), "holds the site folder"),
    ];
    for (out, words) in cases {
        let o = run(&root, &["--output-dir", &out]);
        assert_refused(&o, words);
        assert_eq!(everything(tmp.path()), before, "--output-dir {out} changed files");
    }
    // The working folder as output, given as `.` from inside the site.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_storypath"))
        .args(["build", "--output-dir", "."])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_refused(&o, "is the site folder");
    assert_eq!(everything(tmp.path()), before);
}

#[test]
fn folders_of_other_files_and_files_are_refused() {
    let (tmp, root) = site();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(home.join(".ssh/id_ed25519"), "secret key").unwrap();
    std::fs::write(home.join("notes.txt"), "my notes").unwrap();
    std::fs::write(tmp.path().join("report.pdf"), "a file").unwrap();
    let hidden_only = tmp.path().join("hidden");
    std::fs::create_dir_all(&hidden_only).unwrap();
    std::fs::write(hidden_only.join(".env"), "TOKEN=x").unwrap();
    let before = everything(tmp.path());
    for (out, words) in [
        (home.clone(), "not empty and was not made by storypath"),
        (hidden_only.clone(), "not empty and was not made by storypath"),
        (tmp.path().join("report.pdf"), "is an existing file"),
    ] {
        let o = run(&root, &["--output-dir", out.to_str().unwrap()]);
        assert_refused(&o, words);
        assert_eq!(everything(tmp.path()), before, "{} changed", out.display());
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("storypath"))
            .collect();
        assert!(left.is_empty(), "temporary folders left: {left:?}");
    }
    // An empty folder is fine, and becomes storypath's (marked).
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = run(&root, &["--output-dir", empty.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(empty.join(".storypath-output").is_file() && empty.join("index.html").is_file());
    // ... and is rebuilt without complaint.
    let o = run(&root, &["--output-dir", empty.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_deploy_checkout_keeps_git_and_host_files() {
    let (_tmp, root) = site();
    let out = root.join("public");
    // A fresh `git worktree add public gh-pages` of an empty branch: only .git.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(".git"), "gitdir: ../.git/worktrees/public\n").unwrap();
    let o = run(&root, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&out, ".git"), "gitdir: ../.git/worktrees/public\n");
    // Files a host or deploy step put there later survive the next build.
    std::fs::write(out.join("CNAME"), "careers.example.org\n").unwrap();
    std::fs::write(out.join(".nojekyll"), "").unwrap();
    std::fs::create_dir_all(out.join("downloads")).unwrap();
    std::fs::write(out.join("downloads/brochure.pdf"), "pdf").unwrap();
    std::fs::write(out.join("stray.html"), "not kept").unwrap();
    let toml = root.join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("keep = [\"downloads/brochure.pdf\"]\n{text}")).unwrap();
    let o = run(&root, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&out, ".git"), "gitdir: ../.git/worktrees/public\n");
    assert_eq!(read(&out, "CNAME"), "careers.example.org\n");
    assert!(out.join(".nojekyll").is_file());
    assert_eq!(read(&out, "downloads/brochure.pdf"), "pdf");
    assert!(!out.join("stray.html").exists(), "files not kept are replaced with the build");
    assert!(out.join("index.html").is_file());
    // A failing build keeps them too, where they were.
    let story = root.join("content/stories/ana.md");
    let good = std::fs::read_to_string(&story).unwrap();
    std::fs::write(&story, good.replace("role = \"", "role = \"nope-")).unwrap();
    let before = everything(&out);
    let o = run(&root, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(everything(&out), before);
    // A `keep` entry that climbs out of the output is refused.
    std::fs::write(&story, good).unwrap();
    std::fs::write(&toml, format!("keep = [\"../site.toml\"]\n{text}")).unwrap();
    let o = run(&root, &[]);
    assert_refused(&o, "is not a path inside the output folder");
}

#[cfg(unix)]
#[test]
fn a_linked_output_folder_is_built_into_its_target_and_links_inside_are_not_followed() {
    let (tmp, root) = site();
    let target = tmp.path().join("www");
    std::fs::create_dir_all(&target).unwrap();
    std::os::unix::fs::symlink(&target, root.join("public")).unwrap();
    let o = run(&root, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(root.join("public").symlink_metadata().unwrap().file_type().is_symlink(), "the link stays a link");
    assert!(target.join("index.html").is_file() && target.join(".storypath-output").is_file());
    // A folder elsewhere, linked from inside the output: a rebuild replaces
    // the link but never empties what it points to.
    let precious = tmp.path().join("precious");
    std::fs::create_dir_all(&precious).unwrap();
    std::fs::write(precious.join("photo.jpg"), "photo").unwrap();
    std::os::unix::fs::symlink(&precious, target.join("linked")).unwrap();
    let o = run(&root, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&precious, "photo.jpg"), "photo");
    assert!(root.join("public").symlink_metadata().unwrap().file_type().is_symlink());
    let stray: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .chain(std::fs::read_dir(&root).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // `.storypath` is the image cache, in the site folder by default.
        .filter(|n| n.contains("storypath") && n != ".storypath")
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    // A link to nothing is refused, not replaced.
    let dangling = tmp.path().join("dangling");
    std::os::unix::fs::symlink(tmp.path().join("nowhere"), &dangling).unwrap();
    let o = run(&root, &["--output-dir", dangling.to_str().unwrap()]);
    assert_refused(&o, "symbolic link to nothing");
    assert!(dangling.symlink_metadata().is_ok() && !tmp.path().join("nowhere").exists());
}

/// The ladder of tests/sites/small with the `agent` role's id replaced.
fn with_role_id(root: &Path, id: &str) {
    let ladder = root.join("content/ladder.toml");
    let text = std::fs::read_to_string(&ladder).unwrap();
    let toml_string = format!("\"{}\"", id.escape_default());
    std::fs::write(&ladder, text.replacen("id = \"agent\"", &format!("id = {toml_string}"), 1)).unwrap();
}

#[test]
fn ids_that_are_not_url_safe_are_located_errors_and_write_nothing() {
    for (id, suggestion) in [
        ("../../x", "x"),
        ("..", "my-id"),
        (".", "my-id"),
        ("Agent", "agent"),
        ("team lead", "team-lead"),
        ("a?b#c", "a-b-c"),
        ("a\r\nLocation: http://evil.example/", "a-location-http-evil-example"),
        ("", "my-id"),
    ] {
        let (tmp, root) = site();
        with_role_id(&root, id);
        let before = everything(tmp.path());
        let o = run(&root, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{id:?}: {err}");
        assert!(err.contains("the role id"), "{id:?}: {err}");
        assert!(err.contains("--> content/ladder.toml:"), "{id:?}: not located: {err}");
        assert!(err.contains(&format!("write id = \"{suggestion}\"")), "{id:?}: {err}");
        assert_eq!(everything(tmp.path()), before, "{id:?} wrote files");
        let check = storypath(&["check", "--root", root.to_str().unwrap()]);
        assert_eq!(check.status.code(), Some(1), "{id:?}: check passed");
    }
}

#[test]
fn slugs_must_be_url_safe_and_pages_stay_off_reserved_names() {
    let cases = [
        ("content/stories/ana.md", "slug = \"\"", "the slug is empty"),
        ("content/stories/ana.md", "slug = \"../x\"", "the slug `../x` is not allowed"),
        ("content/pages/benefits.md", "slug = \"jobs\"", "the page slug `jobs` is a name storypath uses"),
        ("content/pages/benefits.md", "slug = \"fr\"", "the page slug `fr` is a language code"),
    ];
    for (file, line, words) in cases {
        let (tmp, root) = site();
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("+++\n", &format!("+++\n{line}\n"), 1)).unwrap();
        let before = everything(tmp.path());
        let o = run(&root, &[]);
        assert_refused(&o, words);
        assert!(stderr(&o).contains(&format!("--> {file}:2:")), "{}", stderr(&o));
        assert_eq!(everything(tmp.path()), before);
    }
    // Two files whose names differ only in case are one slug: both named.
    let (_tmp, root) = site();
    std::fs::copy(root.join("content/stories/bo.md"), root.join("content/stories/Ana.md")).unwrap();
    let o = run(&root, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("duplicate story slug `ana`"), "{err}");
    assert!(err.contains("content/stories/Ana.md") && err.contains("content/stories/ana.md"), "{err}");
}

#[test]
fn static_files_cannot_replace_generated_files() {
    for (file, words) in [
        ("index.html", "static/index.html would replace the home page"),
        ("sitemap.xml", "static/sitemap.xml would replace the sitemap"),
        ("stories/ana/index.html", "static/stories/ana/index.html would replace the page of content/stories/ana.md"),
        ("benefits/index.html", "would replace the page of content/pages/benefits.md"),
        ("og/stories/x.png", "share images folder"),
    ] {
        let (tmp, root) = site();
        let path = root.join("static").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if file.ends_with(".png") {
            // A real image (a broken one would be refused before the clash).
            image::RgbImage::from_pixel(2, 2, image::Rgb([1, 2, 3])).save(&path).unwrap();
        } else {
            std::fs::write(&path, "mine").unwrap();
        }
        let before = everything(tmp.path());
        let o = run(&root, &[]);
        assert_refused(&o, words);
        assert_eq!(everything(tmp.path()), before);
        let check = storypath(&["check", "--root", root.to_str().unwrap()]);
        assert_eq!(check.status.code(), Some(1), "check missed static/{file}: {}", stderr(&check));
        assert!(stderr(&check).contains(words), "{}", stderr(&check));
    }
    // A site may still restyle its theme: static/css/style.css replaces the theme's.
    let (_tmp, root) = site();
    std::fs::create_dir_all(root.join("static/css")).unwrap();
    std::fs::write(root.join("static/css/style.css"), "body{color:red}").unwrap();
    let o = run(&root, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&root.join("public"), "css/style.css"), "body{color:red}");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_not_published() {
    use std::os::unix::fs::symlink;
    let outside = |tmp: &Path| {
        let secrets = tmp.join("secrets");
        std::fs::create_dir_all(&secrets).unwrap();
        std::fs::write(secrets.join("deploy-key"), "PRIVATE KEY").unwrap();
        secrets
    };
    type Plant = fn(&Path, &Path);
    let cases: [(&str, Plant); 5] = [
        ("static/key.txt", |root, secrets| symlink(secrets.join("deploy-key"), root.join("static/key.txt")).unwrap()),
        ("static/vault", |root, secrets| symlink(secrets, root.join("static/vault")).unwrap()),
        ("static/passwd", |root, _| symlink("/etc/passwd", root.join("static/passwd")).unwrap()),
        ("content/pages/leak.md", |root, secrets| {
            symlink(secrets.join("deploy-key"), root.join("content/pages/leak.md")).unwrap()
        }),
        ("site.toml", |root, secrets| {
            std::fs::rename(root.join("site.toml"), secrets.join("site.toml")).unwrap();
            symlink(secrets.join("site.toml"), root.join("site.toml")).unwrap()
        }),
    ];
    for (file, plant) in cases {
        let (tmp, root) = site();
        std::fs::create_dir_all(root.join("static")).unwrap();
        plant(&root, &outside(tmp.path()));
        for cmd in ["build", "check"] {
            let o = storypath(&[cmd, "--root", root.to_str().unwrap()]);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{cmd} {file}: {err}");
            assert!(
                err.contains(&format!("= in {file}")) || err.contains(&format!("--> {file}")),
                "{cmd} {file}: {err}"
            );
            assert!(err.contains("leads outside the site folder"), "{cmd} {file}: {err}");
            assert!(!err.contains("PRIVATE KEY"), "{cmd} {file} printed the secret: {err}");
        }
        assert!(!root.join("public").exists(), "{file}: a build was published");
    }
    // Links that stay inside the site are fine.
    let (_tmp, root) = site();
    std::fs::create_dir_all(root.join("static/img")).unwrap();
    std::fs::write(root.join("static/img/real.txt"), "inside").unwrap();
    symlink("real.txt", root.join("static/img/alias.txt")).unwrap();
    let o = run(&root, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&root.join("public"), "img/alias.txt"), "inside");
}
