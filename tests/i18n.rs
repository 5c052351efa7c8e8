//! A site in another language: every word the theme and the program write
//! comes from the i18n files (the theme's, then the site's own), dates and
//! numbers follow the locale, and what a language lacks falls back to
//! English with a warning that names the key and the file.

mod common;

use common::{build, copy_site, read, repo, storypath};
use std::path::Path;

/// tests/sites/small in `lang`, with `extra` files written into it.
fn small_in(lang: &str, extra: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&repo().join("tests/sites/small"), tmp.path());
    let toml = tmp.path().join("site.toml");
    let text =
        std::fs::read_to_string(&toml).unwrap().replace("language = \"en-GB\"", &format!("language = \"{lang}\""));
    std::fs::write(&toml, text).unwrap();
    for (rel, body) in extra {
        let p = tmp.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    tmp
}

fn check(root: &Path) -> String {
    let o = storypath(&["check", "--root", root.to_str().unwrap()]);
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn a_french_site_speaks_french_with_french_dates_and_locale() {
    // The site's own French words (the theme's files come under them); the
    // dates, numbers and locale are the program's, from CLDR.
    let words = "[page]\nnav_stories = \"Témoignages\"\nnav_map = \"Carte des parcours\"\n\
        [years]\nfrom = \"depuis {from}\"\n[map]\nlevel = \"Niveau {n}\"\n";
    let site = small_in("fr", &[("i18n/fr.toml", words)]);
    let (_tmp, out) = build(site.path(), &[]);
    let home = read(&out, "index.html");
    assert!(home.contains("<html lang=\"fr\""), "lang");
    assert!(home.contains("<meta property=\"og:locale\" content=\"fr_FR\">"), "og:locale in ll_CC form");
    assert!(home.contains(">Témoignages</a>") && home.contains(">Carte des parcours</a>"), "the site's words");
    let story = read(&out, "stories/ana/index.html");
    // ICU's French long date: day first, the month in lower case.
    assert!(story.contains("<time datetime=\"2020-03-01\">1 mars 2020</time>"), "French date");
    assert!(story.contains("depuis 2017"), "the journey's years");
    let map = read(&out, "map.svg");
    assert!(map.contains(">Niveau 1<") && !map.contains(">Level 1<"), "the map's level labels");
    // The theme ships every French word: nothing to report about them.
    let report = check(site.path());
    assert!(!report.contains("translation") && !report.contains("no words in"), "{report}");
}

#[test]
fn the_sites_own_words_override_the_theme_and_missing_ones_fall_back_with_a_warning() {
    // Tagalog: no theme file. The site gives two words of its own.
    let site = small_in(
        "tl",
        &[(
            "i18n/tl.toml",
            "[page]\nnav_stories = \"Mga kuwento\"\n[home]\nread_stories = \"Basahin ang kanilang mga kuwento\"\n",
        )],
    );
    let (_tmp, out) = build(site.path(), &[]);
    let home = read(&out, "index.html");
    assert!(home.contains(">Mga kuwento</a>") && home.contains("Basahin ang kanilang mga kuwento"), "the site's words");
    assert!(home.contains(">Roles</a>"), "a missing word is shown in English");
    let report = check(site.path());
    assert!(report.contains("i18n/tl.toml"), "{report}");
    assert!(report.contains("`page.nav_roles`") && report.contains("has no `tl` translation"), "{report}");
    assert!(!report.contains("`page.nav_stories`"), "a key the site gives is not reported: {report}");
    // A language with no file anywhere: one warning, not one per key.
    let bare = small_in("sw", &[]);
    let report = check(bare.path());
    assert_eq!(report.matches("no words in `sw`").count(), 1, "{report}");
    assert!(report.contains("add i18n/sw.toml"), "{report}");
}

#[test]
fn an_unknown_key_or_a_broken_file_is_a_located_error() {
    let site = small_in(
        "en",
        &[
            ("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ t(key=\"nav.storys\") }}</p>\n{% endblock content %}\n"),
            ("i18n/en.toml", "[page]\nnav_stories = 3\n"),
        ],
    );
    let o = storypath(&["build", "--root", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("templates/page.html:3:"), "{err}");
    assert!(err.contains("unknown UI string `nav.storys`"), "{err}");
    assert!(err.contains("i18n/en.toml:2:"), "{err}");
    assert!(err.contains("`page.nav_stories` must be a string"), "{err}");
    assert!(!site.path().join("public").exists(), "nothing written");
}

#[test]
fn plural_forms_follow_each_languages_rules() {
    // Arabic has six plural categories; the site's file gives them for a
    // word of its own, and the template counts with it.
    let words = "[x]\nn = { zero = \"لا قصص\", one = \"قصة واحدة\", two = \"قصتان\", few = \"{n} قصص\", many = \"{n} قصة\", other = \"{n} قصة\" }\n";
    let template = "{% extends \"base.html\" %}\n{% block content %}<p class=\"n\">{{ t(key=\"x.n\", n=2) }}|{{ t(key=\"x.n\", n=5) }}|{{ t(key=\"x.n\", n=0) }}</p>{% endblock content %}\n";
    let site = small_in(
        "ar",
        &[
            ("i18n/ar.toml", words),
            ("i18n/en.toml", "[x]\nn = { one = \"{n} story\", other = \"{n} stories\" }\n"),
            ("templates/page.html", template),
        ],
    );
    let (_tmp, out) = build(site.path(), &[]);
    let page = read(&out, "benefits/index.html");
    // CLDR's `ar` writes Latin digits (`ar-EG` would write Arabic-Indic ones).
    assert!(
        page.contains("<p class=\"n\">قصتان|5 قصص|لا قصص</p>"),
        "{}",
        page.lines().find(|l| l.contains("class=\"n\"")).unwrap_or("")
    );
    assert!(page.contains("<html lang=\"ar\""));
}
