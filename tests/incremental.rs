//! `serve` re-renders only what an edit touches. These tests hold it to the
//! one rule that makes that safe: after any edit, the files of an
//! incremental run are byte for byte those of a run from scratch.

mod common;

use common::{copy_site, repo};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use storypath::pipeline::{Options, Session};

/// The files of one run, how many pages it rendered, and whether it kept
/// the model (an edit of story bodies only).
fn run(session: &mut Session, opts: &Options, touched: &[&str]) -> (BTreeMap<String, Vec<u8>>, usize, bool) {
    let touched: BTreeSet<String> = touched.iter().map(|s| s.to_string()).collect();
    let r = session.run(opts, &touched).unwrap_or_else(|f| panic!("{}", f.report()));
    let map = r
        .outputs
        .into_iter()
        .map(|o| {
            // A share card's PNG is drawn from its fields alone: compare
            // those (drawing every card of every run would be slow in a debug build).
            let bytes = match &o.content {
                storypath::render::Content::Drawn(c) => format!("{c:?}").into_bytes(),
                other => other.bytes().unwrap().into_owned(),
            };
            (o.path, bytes)
        })
        .collect();
    (map, r.rendered, r.kept_model)
}

fn files(session: &mut Session, opts: &Options, touched: &[&str]) -> (BTreeMap<String, Vec<u8>>, usize) {
    let (map, rendered, _) = run(session, opts, touched);
    (map, rendered)
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap_or_default();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, f(text)).unwrap();
}

#[test]
fn every_edit_gives_what_a_fresh_run_gives() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_site(&repo(), root);
    // The edits below change the structure of ada-okafor.md and
    // grace-chen.md (tags, journey, mentors...), which their French
    // translations would then contradict, an error (tests/languages.rs):
    // the two stay in English only here. The other French stories keep the
    // site in two languages.
    for s in ["ada-okafor", "grace-chen"] {
        fs::remove_file(root.join(format!("content/stories/{s}.fr.md"))).unwrap();
    }
    let opts = Options { root: root.to_path_buf(), ..Default::default() };
    let mut live = Session::default();
    let (first, rendered_first) = files(&mut live, &opts, &[]);
    assert!(first.contains_key("fr/stories/kofi-mensah/index.html"), "the demo is in two languages");
    let pages = first.keys().filter(|k| k.ends_with(".html")).count();
    assert_eq!(rendered_first, pages);

    // What the edit is, the one file it changes (as the watcher names it),
    // and the edit.
    type Apply = Box<dyn Fn(&Path, &str)>;
    type Edit = (&'static str, &'static str, Apply);
    let story = "content/stories/ada-okafor.md";
    let draft = "content/stories/draft-dan.md";
    let new_story = "content/stories/zoe-nunez.md";
    let page = "content/pages/benefits.md";
    let remove = || -> Apply { Box::new(|r, f| fs::remove_file(r.join(f)).unwrap()) };
    let edits: Vec<Edit> = vec![
        ("a story's body", story, Box::new(|r, f| edit(r, f, |t| t.replace("dinner table", "kitchen table")))),
        ("the end of a story's body", story, Box::new(|r, f| edit(r, f, |t| format!("{t}\nA last word.\n")))),
        (
            "a story's title",
            story,
            Box::new(|r, f| edit(r, f, |t| t.replace("Statistics degree", "A statistics degree"))),
        ),
        (
            "a story's location",
            story,
            Box::new(|r, f| edit(r, f, |t| t.replace("location = \"Columbus", "location = \"Dublin"))),
        ),
        (
            "a story's featured flag and extra",
            story,
            Box::new(|r, f| {
                edit(r, f, |t| {
                    let t = t.replacen("name = \"", "featured = true\nname = \"", 1);
                    let end = t[3..].find("+++").unwrap() + 3;
                    format!("{}[extra]\nteam = \"Night shift\"\n{}", &t[..end], &t[end..])
                })
            }),
        ),
        ("a story's date", story, Box::new(|r, f| edit(r, f, |t| t.replacen("date = 20", "date = 19", 1)))),
        ("a story's name", story, Box::new(|r, f| edit(r, f, |t| t.replacen("name = \"", "name = \"Dr. ", 1)))),
        (
            "a story's tags",
            story,
            Box::new(|r, f| edit(r, f, |t| t.replacen("tags = [", "tags = [\"night-shift\", ", 1))),
        ),
        (
            "a new draft",
            draft,
            Box::new(|r, f| {
                edit(r, f, |_| {
                    "+++\ntitle = \"Soon\"\nname = \"Dan\"\ndate = 2026-01-01\nrole = \"agent\"\ndraft = true\n+++\nDraft.\n"
                        .into()
                })
            }),
        ),
        ("a draft's body", draft, Box::new(|r, f| edit(r, f, |t| format!("{t}More draft.\n")))),
        ("a removed draft", draft, remove()),
        (
            "a story's role",
            story,
            Box::new(|r, f| {
                edit(r, f, |t| {
                    t.replace("role = \"reporting-analyst\", from", "role = \"wfm-analyst\", from")
                        .replace("role = \"reporting-analyst\"\n", "role = \"wfm-analyst\"\n")
                })
            }),
        ),
        (
            "a new mentor",
            "content/stories/grace-chen.md",
            Box::new(|r, f| {
                edit(r, f, |t| {
                    let end = t[3..].find("+++").unwrap() + 3;
                    format!("{}[relations]\nmentors = [\"jamal-wright\"]\n{}", &t[..end], &t[end..])
                })
            }),
        ),
        (
            "a new story",
            new_story,
            Box::new(|r, f| {
                edit(r, f, |_| {
                    "+++\ntitle = \"From chat to coach\"\nname = \"Zoë Núñez\"\ndate = 2026-01-02\nrole = \"agent\"\ntags = [\"analytics\"]\n[relations]\nparents = [\"ada-okafor\"]\n+++\nShe started on chat.\n".into()
                })
            }),
        ),
        ("a removed story", new_story, remove()),
        ("a page", page, Box::new(|r, f| edit(r, f, |t| format!("{t}\nOne more benefit.\n")))),
        ("a page title", page, Box::new(|r, f| edit(r, f, |t| t.replace("title = \"", "title = \"Our ")))),
        (
            "a template",
            "templates/story.html",
            Box::new(|r, f| {
                edit(r, f, |_| {
                    "{% extends \"base.html\" %}{% block content %}<h1>{{ story.title }}</h1>{% endblock %}".into()
                })
            }),
        ),
        (
            "the card template",
            "templates/card.html",
            Box::new(|r, f| {
                edit(r, f, |_| "<article class=\"card\"><a href=\"{{ s.url }}\">{{ s.name }}</a></article>".into())
            }),
        ),
        (
            "the journey template",
            "templates/journey.html",
            Box::new(|r, f| edit(r, f, |_| "<ol>{% for st in steps %}<li>{{ st.label }}</li>{% endfor %}</ol>".into())),
        ),
        (
            "the ladder",
            "content/ladder.toml",
            Box::new(|r, f| edit(r, f, |t| t.replacen("title = \"", "title = \"Senior ", 1))),
        ),
        ("site.toml", "site.toml", Box::new(|r, f| edit(r, f, |t| t.replace("title = \"", "title = \"New ")))),
        ("a static file", "static/img/extra.txt", Box::new(|r, f| edit(r, f, |_| "hello".into()))),
    ];
    for (what, file, apply) in &edits {
        apply(root, file);
        let (incremental, rendered, kept_model) = run(&mut live, &opts, &[file]);
        // Edits of what pages show keep the model; edits of what the model
        // derives from, or of any other file, build it again.
        let light = what.contains("body")
            || ["a story's title", "a story's location", "a story's featured flag and extra"].contains(what);
        assert_eq!(kept_model, light, "{what}: the model is kept only for edits of what pages show");
        if *what == "the end of a story's body" {
            assert_eq!(rendered, 1, "only the story's own page shows the end of its body");
        }
        if *what == "a draft's body" {
            assert_eq!(rendered, 0, "a draft is not published");
        }
        let (fresh, _) = files(&mut Session::default(), &opts, &[]);
        let differ: Vec<&String> = fresh.keys().filter(|k| incremental.get(*k) != fresh.get(*k)).collect();
        assert!(differ.is_empty(), "after {what}, the incremental run differs in {differ:?}");
        assert_eq!(incremental.len(), fresh.len(), "after {what}");
        assert!(rendered <= pages + 2, "{what}: {rendered}");
        if *what == "a story's body" || *what == "a static file" || *what == "a page" {
            assert!(rendered < pages / 3, "{what} re-rendered {rendered} of {pages} pages");
        }
    }
}

#[test]
fn an_edit_with_the_same_size_and_time_is_seen_when_the_watcher_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_site(&repo(), root);
    let story = "content/stories/ada-okafor.md";
    let path = root.join(story);
    let stamp = fs::metadata(&path).unwrap().modified().unwrap();
    let opts = Options { root: root.to_path_buf(), ..Default::default() };
    let mut live = Session::default();
    files(&mut live, &opts, &[]);
    edit(root, story, |t| t.replace("dinner table", "dinner tabla"));
    fs::File::options().write(true).open(&path).unwrap().set_modified(stamp).unwrap();
    let (unnamed, _) = files(&mut live, &opts, &[]);
    assert!(!String::from_utf8_lossy(&unnamed["stories/ada-okafor/index.html"]).contains("dinner tabla"));
    let (named, rendered) = files(&mut live, &opts, &[story]);
    assert!(String::from_utf8_lossy(&named["stories/ada-okafor/index.html"]).contains("dinner tabla"));
    assert!(rendered >= 1);
}
