//! A site in several languages (tests/sites/bilingual: English and French),
//! through the real binary: each language's pages under its folder, a
//! translation only where one is written, the ladder in each language's
//! words, hreflang alternates both ways with x-default, the switcher, the
//! sitemap's alternates, per-language feeds and search indexes, the
//! structure check of translations, the content report, and `new story
//! --translate`.

mod common;

use common::{build, copy_site, read, repo, storypath, tree};
use std::path::Path;

fn bilingual() -> std::path::PathBuf {
    repo().join("tests/sites/bilingual")
}

/// A copy of the bilingual site with `edits` (path, text) written over it.
fn edited(edits: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&bilingual(), tmp.path());
    for (rel, text) in edits {
        let p = tmp.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    tmp
}

fn run(args: &[&str]) -> (i32, String) {
    let o = storypath(args);
    (
        o.status.code().unwrap_or(-1),
        format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)),
    )
}

/// The `<link rel="alternate" hreflang=...>` tags of a page: (hreflang, href).
fn hreflangs(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in html.split("<link rel=\"alternate\" hreflang=\"").skip(1) {
        let (lang, rest) = tag.split_once('"').unwrap();
        let href = rest.split("href=\"").nth(1).unwrap().split('"').next().unwrap();
        out.push((lang.to_string(), href.to_string()));
    }
    out
}

#[test]
fn each_language_has_its_pages_its_words_and_its_translations_only() {
    let (_tmp, out) = build(&bilingual(), &[]);
    let files = tree(&out);
    // A story in both languages, in English only, in French only.
    for p in [
        "stories/ana-silva/index.html",
        "fr/stories/ana-silva/index.html",
        "stories/ben-okoro/index.html",
        "fr/stories/chloe-roy/index.html",
    ] {
        assert!(files.contains_key(p), "{p} missing");
    }
    assert!(!files.contains_key("fr/stories/ben-okoro/index.html"), "an untranslated story stays in English");
    assert!(!files.contains_key("stories/chloe-roy/index.html"), "a French-only story stays in French");
    // What the site has once is at the root only.
    assert!(files.contains_key("404.html") && !files.contains_key("fr/404.html"));
    assert!(files.contains_key("robots.txt") && !files.contains_key("fr/robots.txt"));
    assert!(!files.keys().any(|k| k.starts_with("fr/css/") || k.starts_with("fr/js/")), "one copy of the assets");

    let fr = read(&out, "fr/stories/ana-silva/index.html");
    assert!(fr.contains("<html lang=\"fr\""), "{}", &fr[..200]);
    assert!(fr.contains("Du téléphone à la tête du plateau"));
    assert!(fr.contains("2 mai 2024"), "a French date");
    assert!(fr.contains("<meta property=\"og:locale\" content=\"fr_FR\">"));
    assert!(fr.contains("<meta property=\"og:locale:alternate\" content=\"en_US\">"));
    assert!(fr.contains("Carrières chez Northwind"), "the language's title");
    assert!(fr.contains("https://jobs.example.org/northwind?lang=fr"), "the language's call to action");
    assert!(fr.contains("Agent du service à la clientèle"), "the ladder in French");
    // Links stay in the language: to its own pages, and to the shared assets.
    assert!(
        fr.contains("href=\"../../../fr/roles/agent/\"") || fr.contains("href=\"../../roles/agent/\""),
        "a French role link"
    );
    assert!(fr.contains("../../../css/style."), "the one stylesheet");

    let role = read(&out, "fr/roles/agent/index.html");
    assert!(role.contains("Répond aux appels et aux clavardages."), "translated summary");
    assert!(role.contains("Écoute") && role.contains("Dactylo"), "translated skills");
    assert!(
        role.contains("par an"),
        "the translation's pay period: {}",
        role.lines().find(|l| l.contains("CAD")).unwrap_or("")
    );
    // A role without a translation falls back to the default language.
    assert!(read(&out, "fr/roles/lead/index.html").contains("Team Lead"));

    // Per-language feed and search index, beside the language's pages.
    let feed = read(&out, "fr/feed.xml");
    assert!(feed.contains("Du téléphone à la tête du plateau") && !feed.contains("Chat was my way in"));
    assert!(feed.contains("https://example.org/careers/fr/stories/ana-silva/"));
    let search = read(&out, "fr/search.json");
    assert!(
        search.contains("\"url\":\"stories/chloe-roy/\"") && !search.contains("ben-okoro"),
        "URLs relative to the index: {search}"
    );
    assert!(read(&out, "fr/map.svg").contains("Agent du service"), "the map in French");
    assert!(!read(&out, "search.json").contains("chloe-roy"));
}

#[test]
fn hreflang_alternates_are_reciprocal_with_x_default_and_the_switcher_works_without_script() {
    let (_tmp, out) = build(&bilingual(), &[]);
    let base = "https://example.org/careers/";
    let both = vec![
        ("en".to_string(), format!("{base}stories/ana-silva/")),
        ("fr".to_string(), format!("{base}fr/stories/ana-silva/")),
        ("x-default".to_string(), format!("{base}stories/ana-silva/")),
    ];
    assert_eq!(hreflangs(&read(&out, "stories/ana-silva/index.html")), both);
    assert_eq!(hreflangs(&read(&out, "fr/stories/ana-silva/index.html")), both);
    // Only in English: no French alternate; only in French: no x-default.
    assert_eq!(
        hreflangs(&read(&out, "stories/ben-okoro/index.html")),
        vec![
            ("en".into(), format!("{base}stories/ben-okoro/")),
            ("x-default".into(), format!("{base}stories/ben-okoro/"))
        ]
    );
    assert_eq!(
        hreflangs(&read(&out, "fr/stories/chloe-roy/index.html")),
        vec![("fr".into(), format!("{base}fr/stories/chloe-roy/"))]
    );

    // The switcher: a list of links, the current one marked; a page with no
    // translation links to the other language's home.
    let ben = read(&out, "stories/ben-okoro/index.html");
    let switch = ben.split("<nav class=\"lang-switch\"").nth(1).unwrap().split("</nav>").next().unwrap();
    assert!(switch.contains("aria-label=\"Languages\""), "{switch}");
    assert!(
        switch.contains("href=\"../../\" lang=\"en\" hreflang=\"en\" aria-current=\"page\">English</a>")
            || switch.contains("aria-current=\"page\">English"),
        "{switch}"
    );
    assert!(switch.contains("href=\"../../fr/\" lang=\"fr\" hreflang=\"fr\">Français</a>"), "{switch}");
    let ana = read(&out, "stories/ana-silva/index.html");
    assert!(ana.contains("href=\"../../fr/stories/ana-silva/\" lang=\"fr\""), "same page in French");

    // The sitemap lists every language's pages with their alternates.
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let entry =
        sitemap.split("<url>").find(|u| u.contains(&format!("<loc>{base}fr/stories/ana-silva/</loc>"))).unwrap();
    assert!(entry.contains(&format!("hreflang=\"en\" href=\"{base}stories/ana-silva/\"")), "{entry}");
    assert!(entry.contains(&format!("hreflang=\"x-default\" href=\"{base}stories/ana-silva/\"")), "{entry}");
    assert!(sitemap.contains(&format!("<loc>{base}fr/stories/chloe-roy/</loc>")));
}

#[test]
fn two_builds_of_a_bilingual_site_are_byte_identical() {
    let (_a, one) = build(&bilingual(), &[]);
    let (_b, two) = build(&bilingual(), &[]);
    assert!(tree(&one) == tree(&two), "two builds differ");
}

#[test]
fn a_translation_that_changes_the_structure_is_a_located_error() {
    let original = std::fs::read_to_string(bilingual().join("content/stories/ana-silva.fr.md")).unwrap();
    let changed =
        original.replace("role = \"lead\"", "role = \"agent\"").replace("tags = [\"promotion\"]", "tags = []");
    let changed = changed.replace("{ role = \"lead\", from = 2021 }", "{ role = \"agent\", from = 2021 }");
    let site = edited(&[
        ("content/stories/ana-silva.fr.md", &changed),
        (
            "content/stories/dan-ng.de.md",
            "+++\ntitle = \"T\"\nname = \"Dan\"\ndate = 2024-01-01\nrole = \"agent\"\n+++\n",
        ),
    ]);
    let (code, text) = run(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("this `fr` translation changes the story's role"), "{text}");
    assert!(text.contains("content/stories/ana-silva.fr.md:5:8"), "located at the role line: {text}");
    assert!(text.contains("content/stories/ana-silva.md has `lead`, this file `agent`"), "{text}");
    assert!(text.contains("changes the story's tags"), "{text}");
    assert!(text.contains("`de` is not a language of this site"), "{text}");
    assert!(text.contains("[languages.de]"), "{text}");
}

#[test]
fn check_reports_missing_translations_per_language_and_the_ladder() {
    let (code, text) = run(&["check", "--root", bilingual().to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("1 story is not in `fr`: `ben-okoro`"), "{text}");
    assert!(text.contains("ben-okoro.fr.md (storypath new story --translate ben-okoro --lang fr)"), "{text}");
    assert!(text.contains("1 story is not in `en`: `chloe-roy`"), "{text}");
    assert!(text.contains("1 ladder entry is not fully in `fr`: role `lead`"), "{text}");
    assert!(text.contains("content/ladder.toml:"), "{text}");
    assert!(text.contains("No errors: 4 stories, 2 pages"), "every language counted: {text}");
}

#[test]
fn new_story_translate_starts_a_translation_that_check_accepts() {
    let site = edited(&[]);
    let root = site.path().to_str().unwrap();
    let (code, text) = run(&["new", "story", "--root", root, "--translate", "ben-okoro", "--lang", "fr"]);
    assert_eq!(code, 0, "{text}");
    let made = std::fs::read_to_string(site.path().join("content/stories/ben-okoro.fr.md")).unwrap();
    assert!(made.starts_with("+++\n# The fr translation of ben-okoro.md."), "{made}");
    let (code, text) = run(&["check", "--root", root]);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("not in `fr`: `ben-okoro`"), "{text}");
    // Never over an existing file; an unknown language is a usage error.
    let (code, text) = run(&["new", "story", "--root", root, "--translate", "ben-okoro", "--lang", "fr"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("already exists"), "{text}");
    let (code, text) = run(&["new", "story", "Zoé Roy", "--root", root, "--lang", "de"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("`de` is not a language of this site"), "{text}");
    let (code, _) = run(&["new", "story", "Zoé Roy", "--root", root, "--lang", "fr"]);
    assert_eq!(code, 0);
    assert!(site.path().join("content/stories/zoe-roy.fr.md").is_file());
}

#[test]
fn the_default_language_may_live_in_its_folder_with_a_root_page_listing_languages() {
    let toml = std::fs::read_to_string(bilingual().join("site.toml")).unwrap();
    let toml = toml.replace("[languages.fr]", "[languages]\ndefault_in_subdir = true\n\n[languages.fr]");
    let site = edited(&[("site.toml", &toml)]);
    let (_tmp, out) = build(site.path(), &[]);
    let files = tree(&out);
    assert!(
        files.contains_key("en/stories/ana-silva/index.html") && files.contains_key("fr/stories/ana-silva/index.html")
    );
    assert!(!files.contains_key("stories/ana-silva/index.html"));
    let root = read(&out, "index.html");
    assert!(root.contains("<meta http-equiv=\"refresh\" content=\"0; url=/careers/en/\">"), "{root}");
    assert!(root.contains("hreflang=\"fr\">Français</a>") && root.contains("<h1>Choose a language</h1>"), "{root}");
    assert!(read(&out, "en/stories/ana-silva/index.html")
        .contains("href=\"https://example.org/careers/en/stories/ana-silva/\""));
    assert!(files.contains_key("404.html") && files.contains_key("en/feed.xml"));
}

#[test]
fn a_bilingual_site_passes_the_nu_checker() {
    let (_tmp, out) = build(&bilingual(), &[]);
    common::browser::nu_check(&out);
    let _ = Path::new("");
}
