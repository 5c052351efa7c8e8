//! The real binary on real sites: the demo site at the repository root,
//! the fixture sites under tests/sites and the example under examples/.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

const DEMO_STORIES: &[&str] = &[
    "ada-okafor",
    "diego-santos",
    "grace-chen",
    "jamal-wright",
    "kofi-mensah",
    "lena-fischer",
    "marisol-reyes",
    "miguel-santos",
    "priya-raman",
    "ruth-okafor",
    "sharmane-good",
    "tomas-lindqvist",
];

/// The page's main JSON-LD node: the first, when a page has several (its
/// BreadcrumbList follows it).
fn json_ld(html: &str) -> Value {
    let start = html.find("<script type=\"application/ld+json\">").expect("JSON-LD") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    match serde_json::from_str(&html[start..end]).expect("valid JSON-LD") {
        Value::Array(mut nodes) => nodes.swap_remove(0),
        node => node,
    }
}

#[test]
fn demo_site_has_every_url_of_the_contract() {
    let (_t, out) = build(&repo(), &[]);
    let mut expected = vec![
        "index.html",
        "stories/index.html",
        "roles/index.html",
        "roles/wfm-analyst/index.html",
        "map/index.html",
        "map.svg",
        "families/index.html",
        "families/miguel-santos/index.html",
        "families/ruth-okafor/index.html",
        "origins/by-accident/index.html",
        "tags/workforce-planning/index.html",
        "benefits/index.html",
        "how-we-hire/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "img/logo.svg",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    expected.extend(DEMO_STORIES.iter().map(|s| format!("stories/{s}/index.html")));
    for f in &expected {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    // The theme's stylesheet and scripts are published by their hashed
    // names only: nothing links the plain ones.
    for plain in ["css/style.css", "js/search.js", "js/map.js", "js/video.js"] {
        assert!(!out.join(plain).exists(), "an unhashed copy of the theme's {plain}");
    }
    // The draft is not published.
    assert!(!out.join("stories/noah-berg").exists());
}

#[test]
fn every_page_has_lang_canonical_social_tags_and_json_ld() {
    let (_t, out) = build(&repo(), &[]);
    for (path, html) in html_files_of(&out) {
        let lang = if path.starts_with("fr/") { "fr" } else { "en" };
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path}: no lang");
        assert!(html.contains("<link rel=\"canonical\" href=\"https://example.org/careers/"), "{path}: canonical");
        for tag in ["og:title", "og:description", "og:url", "og:type", "og:site_name"] {
            assert!(html.contains(&format!("property=\"{tag}\"")), "{path}: no {tag}");
        }
        assert!(html.contains("name=\"twitter:card\""), "{path}: no twitter card");
        json_ld(&html);
    }
    let ld = |p: &str| json_ld(&read(&out, p));
    let story = ld("stories/sharmane-good/index.html");
    assert_eq!(story["@type"], "Article");
    assert_eq!(story["about"]["@type"], "Person");
    assert_eq!(story["about"]["name"], "Sharmane Good");
    assert_eq!(story["datePublished"], "2025-05-02");
    let role = ld("roles/wfm-analyst/index.html");
    assert_eq!(role["@type"], "Occupation");
    let salary = &role["estimatedSalary"];
    assert_eq!(salary["@type"], "MonetaryAmountDistribution");
    assert_eq!(salary["currency"], "USD");
    assert_eq!(salary["minValue"], 52000);
    assert_eq!(salary["maxValue"], 61000);
    assert_eq!(salary["unitText"], "YEAR");
    let index = ld("stories/index.html");
    assert_eq!(index["mainEntity"]["@type"], "ItemList");
    assert_eq!(index["mainEntity"]["numberOfItems"], DEMO_STORIES.len());
    let home = ld("index.html");
    assert_eq!(home["@type"], "Organization");
    // An SVG logo: the Organization's logo is the 180×180 apple-touch icon (a raster).
    let logo = home["logo"]["url"].as_str().unwrap();
    assert!(logo.starts_with("https://example.org/careers/apple-touch-icon.") && logo.ends_with(".png"), "{logo}");
    let story_html = read(&out, "stories/ada-okafor/index.html");
    assert!(story_html.contains("<meta property=\"og:type\" content=\"article\">"));
    // The photo story's share image is its photo card (JPEG), described with the photo's alt.
    assert!(story_html.contains("beside a photo: Illustrated portrait of Ada"));
    assert!(
        story_html.contains("<meta property=\"og:image\" content=\"https://example.org/careers/og/stories/ada-okafor.")
    );
    assert!(story_html.contains("<meta property=\"og:image:type\" content=\"image/jpeg\">"));
}

/// The `content` of `<meta property="{prop}" content="...">` in `html`.
fn meta<'a>(html: &'a str, prop: &str) -> Option<&'a str> {
    let needle = format!("<meta property=\"{prop}\" content=\"");
    let at = html.find(&needle)? + needle.len();
    Some(&html[at..at + html[at..].find('"')?])
}

#[test]
fn stories_without_a_raster_photo_and_roles_get_share_cards() {
    let (_t, out) = build(&repo(), &[]);
    let (mut cards, mut photos) = (0, 0);
    for (path, html) in html_files_of(&out) {
        let is_role = path.starts_with("roles/") && path != "roles/index.html";
        let is_story = path.starts_with("stories/") && path != "stories/index.html";
        if !(is_role || is_story) {
            continue;
        }
        let image = meta(&html, "og:image").unwrap_or_else(|| panic!("{path}: no og:image"));
        assert!(meta(&html, "og:image:alt").is_some_and(|a| !a.is_empty()), "{path}: og:image:alt");
        if is_story && image.ends_with(".jpg") {
            // A raster photo: its photo card (a JPEG) is the share image.
            assert!(image.contains("/og/stories/"), "a photo card: {image}");
            let file = image.strip_prefix("https://example.org/careers/").unwrap();
            assert!(out.join(file).is_file(), "{path}: {image}");
            photos += 1;
            continue;
        }
        // The others have no photo, or an SVG one (social networks show no SVG).
        let file = image.strip_prefix("https://example.org/careers/").unwrap();
        let kind = if is_role { "roles" } else { "stories" };
        assert!(file.starts_with(&format!("og/{kind}/")) && file.ends_with(".png"), "{path}: {image}");
        let png = std::fs::read(out.join(file)).unwrap_or_else(|e| panic!("{path}: {file}: {e}"));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{file}");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1200, "{file}");
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 630, "{file}");
        assert_eq!(meta(&html, "og:image:width"), Some("1200"));
        assert_eq!(meta(&html, "og:image:height"), Some("630"));
        cards += 1;
    }
    assert_eq!(cards, 5 + 18, "5 stories (without a raster photo) and 18 roles");
    assert_eq!(photos, 7, "the demo's raster photos");
    let alt = meta(&read(&out, "roles/agent/index.html"), "og:image:alt").unwrap().to_string();
    assert_eq!(alt, "Harborline Support: Customer Support Agent (Customer support · Level 1)");
}

#[test]
fn a_rebuild_reuses_the_share_cards_it_already_drew() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    // A copy: its image cache is its own, not the one other tests build into.
    let root = tmp.path().join("site");
    common::copy_site(&repo(), &root);
    let args = ["build", "--root", root.to_str().unwrap(), "--output-dir", out.to_str().unwrap()];
    assert!(storypath(&args).status.success());
    let card = |dir: &Path| {
        let folder = dir.join("og/roles");
        let name = std::fs::read_dir(&folder).unwrap().next().unwrap().unwrap().file_name();
        folder.join(name)
    };
    let first = std::fs::metadata(card(&out)).unwrap();
    assert!(storypath(&args).status.success());
    let second = std::fs::metadata(card(&out)).unwrap();
    assert_eq!(first.ino(), second.ino(), "the same file, linked into the new output, not drawn again");
}

/// Resolves an internal link of the page at `page` (an output path) to an output file.
fn target(base_path: &str, page: &str, link: &str) -> Option<String> {
    let link = link.split(['#', '?']).next().unwrap();
    if link.is_empty() || link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") {
        return None;
    }
    let mut path = if let Some(abs) = link.strip_prefix('/') {
        let inside = format!("/{abs}");
        assert!(inside.starts_with(base_path), "{page}: link {link} escapes the base path {base_path}");
        inside[base_path.len()..].to_string()
    } else {
        let dir = Path::new(page).parent().unwrap().to_string_lossy().into_owned();
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for seg in link.split('/') {
            match seg {
                ".." => {
                    parts.pop();
                }
                "." | "" => {}
                s => parts.push(s),
            }
        }
        let joined = parts.join("/");
        if !joined.is_empty() && link.ends_with('/') {
            joined + "/"
        } else {
            joined
        }
    };
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    Some(path)
}

fn assert_links_resolve(out: &Path, base_path: &str) -> usize {
    let files = tree(out);
    let mut checked = 0;
    for (page, html) in html_files_of(out) {
        for link in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            if let Some(t) = target(base_path, &page, link) {
                assert!(files.contains_key(&t), "{page}: broken link {link} (no {t})");
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn every_page_links_one_stylesheet_by_a_name_with_its_hash() {
    let (_t, out) = build(&repo(), &[]);
    let plain = read(&repo(), "themes/horizon/static/css/style.css");
    let mut names = std::collections::BTreeSet::new();
    for (path, html) in html_files_of(&out) {
        let sheets: Vec<&str> = html
            .match_indices("<link rel=\"stylesheet\" href=\"")
            .map(|(at, m)| {
                let rest = &html[at + m.len()..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect();
        assert_eq!(sheets.len(), 1, "{path}: {sheets:?}");
        let name = sheets[0].rsplit('/').next().unwrap().to_string();
        let hash = name.trim_start_matches("style.").trim_end_matches(".css");
        assert!(hash.len() == 10 && hash.chars().all(|c| c.is_ascii_hexdigit()), "{path}: {name}");
        names.insert(name);
    }
    assert_eq!(names.len(), 1, "one stylesheet for the whole site: {names:?}");
    let name = names.into_iter().next().unwrap();
    assert_eq!(read(&out, &format!("css/{name}")), plain, "the hashed file is the stylesheet");
}

#[test]
fn internal_links_resolve_under_the_subpath() {
    let (_t, out) = build(&repo(), &[]);
    assert!(assert_links_resolve(&out, "/careers/") > 500);
    // Pages link relative to themselves (so they work from disk and under any
    // subpath); only the 404 page, served at any depth, links from /careers/.
    for (path, html) in html_files_of(&out) {
        let rooted = attrs(&html, "href").into_iter().chain(attrs(&html, "src")).filter(|l| l.starts_with('/')).count();
        if path == "404.html" {
            assert!(html.contains("href=\"/careers/css/style."));
        } else {
            assert_eq!(rooted, 0, "{path} has root-relative links");
        }
    }
    assert!(read(&out, "stories/ada-okafor/index.html").contains("href=\"../../css/style."));
    let sitemap = read(&out, "sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    assert!(locs.len() > 40);
    for loc in &locs {
        assert!(loc.starts_with("https://example.org/careers/"), "{loc}");
        let rel = loc.trim_start_matches("https://example.org/careers/");
        let file = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
        assert!(out.join(&file).is_file(), "sitemap lists missing {loc}");
    }
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/careers/sitemap.xml\n"
    );
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let (_t, out) = build(&repo(), &["--base-url", "https://jobs.example.com/"]);
    let home = read(&out, "index.html");
    assert!(home.contains("<link rel=\"canonical\" href=\"https://jobs.example.com/\">"));
    assert!(assert_links_resolve(&out, "/") > 500);
    assert!(read(&out, "feed.xml").contains("<id>https://jobs.example.com/stories/sharmane-good/</id>"));
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, one) = build(&repo(), &[]);
    let (_b, two) = build(&repo(), &[]);
    let (t1, t2) = (tree(&one), tree(&two));
    assert_eq!(t1.keys().collect::<Vec<_>>(), t2.keys().collect::<Vec<_>>());
    for (k, v) in &t1 {
        assert!(v == &t2[k], "{k} differs between builds");
    }
}

#[test]
fn feed_sitemap_and_map_are_well_formed_xml() {
    let (_t, out) = build(&repo(), &[]);
    let feed = read(&out, "feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    assert_eq!(doc.root_element().tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    let entries = doc.root_element().children().filter(|n| n.has_tag_name("entry")).count();
    assert_eq!(entries, DEMO_STORIES.len());
    for link in doc.descendants().filter(|n| n.has_tag_name("link")) {
        assert!(link.attribute("href").unwrap().starts_with("https://example.org/careers/"));
    }
    let svg = read(&out, "map.svg");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    assert!(root.children().any(|n| n.has_tag_name("title")));
    assert_eq!(root.attribute("role"), None, "no ARIA in the standalone file");
    let home = read(&out, "index.html");
    assert!(home.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sp-map\""));
    assert!(home.contains(" aria-labelledby=\"home-map-title\""), "inline maps are named");
    let links = doc.descendants().filter(|n| n.has_tag_name("a") && n.attribute("class") == Some("sp-node")).count();
    assert_eq!(links, 18, "one link per role");
    // And one more per hiring role, its badge (the demo's openings, on today's date).
    let badges = doc.descendants().filter(|n| n.has_tag_name("a") && n.attribute("class") == Some("sp-hire")).count();
    assert!(badges > 0, "the hiring roles' badges");
}

#[test]
fn drafts_leave_no_trace_without_the_flag() {
    let site = repo().join("tests/sites/small");
    let (_t, out) = build(&site, &[]);
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "Secretname",
            "secret-draft-tag",
            "Secret draft origin",
            "secret-draft-origin",
            "stories/zed",
            "nobody should see",
        ] {
            assert!(!text.contains(secret), "{path} mentions the draft ({secret})");
        }
    }
    // The draft's move (Scheduler -> Workforce Planner) is not counted on the
    // map: it stays an idle ladder move, which nobody took.
    let edge = "Scheduler → Workforce Planner: ";
    assert!(read(&out, "map.svg").contains(&format!("{edge}listed in the ladder, no story takes it yet")));
    assert!(!read(&out, "map.svg").contains(&format!("{edge}1 person")));
    let (_t2, with) = build(&site, &["--drafts"]);
    assert!(read(&with, "map.svg").contains(&format!("{edge}1 person")));
    assert!(with.join("stories/zed/index.html").is_file());
    assert!(with.join("tags/secret-draft-tag/index.html").is_file());
    assert!(read(&with, "stories/bo/index.html").contains("Zed Secretname"), "the child relation is derived");
    assert!(read(&with, "feed.xml").contains("nobody should see"));
}

#[test]
fn front_matter_and_markdown_are_escaped() {
    let (_t, out) = build(&repo().join("tests/sites/small"), &[]);
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        // `onerror=` may appear inside escaped text (`&lt;img ... onerror=...&gt;`), never in a tag.
        for bad in ["<script>alert", "<img src=x", "javascript:", "href=\"data:", "<b>bold</b>"] {
            assert!(!text.contains(bad), "{path} contains {bad}");
        }
    }
    let story = read(&out, "stories/evil/index.html");
    assert!(story.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; more"));
    // Raw HTML in the body is sanitised: the script goes, contents and all;
    // the image stays without its handler.
    assert!(story.contains("Hello  and <img src=\"https://img.example/x.png\">."), "raw HTML is sanitised");
    assert!(!story.contains("alert('body')") && !story.contains("onerror=\""));
    // JSON-LD cannot be closed early by a string.
    assert_eq!(json_ld(&story)["headline"], "<script>alert('title')</script> & more");
    // The map is pasted where the template printed `map_svg`, once; a body
    // cannot ask for another copy.
    assert_eq!(story.matches("<svg xmlns").count(), 1, "one map, and no map from the body");
    assert!(!story.contains("storypath:map_svg"), "no placeholder left");
}

#[test]
fn ladder_titles_summaries_and_site_fields_are_escaped_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&repo().join("tests/sites/small"), tmp.path());
    let ladder = tmp.path().join("content/ladder.toml");
    let text = std::fs::read_to_string(&ladder).unwrap();
    let text = text.replacen(
        "title = \"Agent\"",
        "title = \"<script>alert('role')</script>\"\nsummary = \"\\\"><img src=x onerror=alert('summary')>\"\nskills = [\"</script><script>alert('skill')</script>\"]",
        1,
    );
    let text = text.replacen("name = \"Support\"", "name = \"<svg onload=alert('track')>\"", 1);
    std::fs::write(&ladder, text).unwrap();
    let (_t, out) = build(tmp.path(), &[]);
    let mut checked = 0;
    for (path, bytes) in tree(&out) {
        if path.ends_with(".png") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        for bad in ["<script>alert", "<img src=x", "<svg onload", "</script><script>"] {
            assert!(!text.contains(bad), "{path} contains {bad}");
        }
        checked += 1;
    }
    assert!(checked > 20);
    let role = read(&out, "roles/agent/index.html");
    assert!(role.contains("&lt;script&gt;alert(&#39;role&#39;)&lt;/script&gt;"), "HTML text");
    assert!(role.contains("content=\"&quot;&gt;&lt;img src=x onerror=alert(&#39;summary&#39;)&gt;\""), "attributes");
    assert_eq!(json_ld(&role)["name"], "<script>alert('role')</script>", "JSON-LD keeps the text");
    assert!(read(&out, "map.svg").contains("&lt;script&gt;"), "SVG");
    assert!(read(&out, "search.json").contains("\\u003cscript\\u003e"), "search index");
}

#[test]
fn map_svg_snapshot() {
    let (_t, out) = build(&repo().join("tests/sites/small"), &[]);
    snapshot(&repo().join("tests/snapshots/small-map.svg"), &read(&out, "map.svg"));
}

#[test]
fn story_and_family_pages_highlight_journeys() {
    let (_t, out) = build(&repo().join("tests/sites/small"), &[]);
    let story = read(&out, "stories/ana/index.html");
    // A story page draws its journey as a compact map, not the whole ladder.
    assert_eq!(story.matches("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sp-compact\"").count(), 1);
    assert!(!story.contains("class=\"sp-map\""), "no full map on a story page");
    // The map's role links, relative to the page like every other link.
    assert!(story.contains(r#"<a class="spc-node" href="../../roles/team-lead/">"#), "relative map links");
    assert!(!story.contains("storypath:map_svg"));
    assert!(story.contains("<title id=\"story-ana-title\">Ana Lima&#39;s journey: "));
    assert!(story.contains(r#"<a href="../../map/">Every role and move on the full career map</a>"#));
    let family = read(&out, "families/ana/index.html");
    assert_eq!(family.matches("<g class=\"sp-journey\">").count(), 2, "both members' journeys");
    let role = read(&out, "roles/team-lead/index.html");
    assert!(role.contains("Where people came from"));
    assert!(role.contains(">Agent</a> <span class=\"count\">1</span>"), "came from Agent, counted");
    let map = read(&out, "map/index.html");
    assert!(map.contains("Every journey, as text"));
    // The narrow-screen form: each track as a compact map.
    assert!(map.contains("The map, track by track") && map.contains("class=\"sp-compact\""));
    assert!(map.contains(">Retail <span class=\"tag-outside\">"), "outside entry in the text alternative");
}

#[test]
fn a_site_without_ladder_builds_without_map_and_roles() {
    let (_t, out) = build(&repo().join("tests/sites/no-ladder"), &[]);
    assert!(!out.join("map").exists() && !out.join("map.svg").exists() && !out.join("roles").exists());
    assert!(out.join("stories/two/index.html").is_file());
    // Neither has a `from` year, so the eldest is the first by name: Tia Two.
    assert!(out.join("families/two/index.html").is_file());
    assert!(assert_links_resolve(&out, "/") > 10);
}

#[test]
fn example_site_without_site_toml_uses_its_template_override() {
    let (_t, out) = build(&repo().join("examples/riverside-nursing"), &[]);
    assert!(read(&out, "about/index.html").contains("riverside-page"), "templates/page.html overrides the theme");
    assert!(read(&out, "index.html").contains("<link rel=\"canonical\" href=\"http://127.0.0.1:1111/\">"));
    assert!(out.join("families/june-park/index.html").is_file());
    assert!(read(&out, "map.svg").contains("Hotel receptionist"));
}

#[test]
fn check_writes_nothing_and_usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("content/stories")).unwrap();
    std::fs::copy(repo().join("tests/sites/no-ladder/content/stories/one.md"), site.join("content/stories/one.md"))
        .unwrap();
    let o = storypath(&["check", "--root", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(&site).unwrap().count(), 1, "check wrote something");
    assert_eq!(storypath(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(storypath(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(storypath(&["check", "--root", "tests/broken/unknown-role"]).status.code(), Some(1));
}

#[test]
fn refuses_to_write_over_the_site() {
    let root = repo().join("tests/sites/no-ladder");
    let o = storypath(&["build", "--root", root.to_str().unwrap(), "--output-dir", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("building would replace the site"), "{}", stderr(&o));
    assert!(root.join("content/stories/one.md").is_file());
}

#[test]
fn a_site_local_theme_overrides_only_what_it_has() {
    let (_t, out) = build(&repo().join("tests/sites/local-theme"), &[]);
    assert!(read(&out, "404.html").contains("plain-404"), "the local theme's template");
    assert!(read(&out, "index.html").contains("class=\"hero\""), "horizon's template where the theme has none");
    let sheet = std::fs::read_dir(out.join("css"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|n| n.starts_with("style.") && n.ends_with(".css") && n != "style.css")
        .expect("the local theme's stylesheet, by its hashed name");
    assert!(read(&out, &format!("css/{sheet}")).starts_with("/* plain theme stylesheet */"));
    assert_eq!(read(&out, "css/fonts.txt"), "site wins\n", "the site's static/ beats the theme's");
}

#[test]
fn valid_edge_cases_build() {
    // A BOM with CRLF line ends, a story without a body, emoji and accents
    // (the slug of `Zoë Núñez.md` is `zoe-nunez`), a date with a time.
    let (_t, out) = build(&repo().join("tests/sites/edge-cases"), &[]);
    assert!(read(&out, "stories/bom-crlf/index.html").contains("Windows line ends and a BOM"));
    assert!(out.join("stories/no-body/index.html").is_file());
    let zoe = read(&out, "stories/zoe-nunez/index.html");
    assert!(zoe.contains("Zoë Núñez 🎧") && zoe.contains("id=\"como-empezaste\""));
    // Emoji are transliterated too (deunicode): ☕ -> coffee.
    assert!(out.join("origins/cafe-job-coffee/index.html").is_file());
    assert!(out.join("tags/equipe/index.html").is_file());
    // The default language, `en`, writes dates as CLDR does (month first).
    assert!(zoe.contains("<time datetime=\"2022-04-04\">April 4, 2022</time>"));
}

#[test]
fn quiet_builds_print_nothing_and_no_progress_line_off_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = storypath(&["build", "--output-dir", out.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success());
    assert_eq!(stderr(&o), "");
    let o = storypath(&["build", "--output-dir", out.to_str().unwrap()]);
    assert!(stderr(&o).starts_with("Built "), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Rendering"));
}

#[test]
fn a_site_without_families_or_openings_has_no_pages_or_links_for_them() {
    let (_t, out) = build(&repo().join("tests/sites/share"), &[]);
    assert!(out.join("index.html").is_file());
    for gone in ["families", "jobs", "jobs.xml"] {
        assert!(!out.join(gone).exists(), "{gone} is written for a site that has none");
    }
    let sitemap = read(&out, "sitemap.xml");
    // (This site's base URL is https://example.org/jobs/.)
    assert!(!sitemap.contains("families/") && !sitemap.contains("/jobs/jobs/"), "{sitemap}");
    let home = read(&out, "index.html");
    assert!(!home.contains("families/") && !home.contains("\"./jobs/\""), "no link to a page that is not there");
}
