//! Share cards, favicons and the header logo, through the real binary on
//! tests/sites/share (a story with a raster photo, one without, an SVG
//! wordmark logo), built from a copy so its image cache stays in the
//! temporary folder.

mod common;

use common::{html_files_of, stderr, storypath};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const BASE: &str = "https://example.org/jobs/";

/// The fixture copied into a fresh temporary folder.
fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let from = common::repo().join("tests/sites/share");
    // Not the fixture's own cache: other tests build the fixture in place,
    // and this one counts what a build with no cache draws.
    for e in walkdir::WalkDir::new(&from).into_iter().filter_entry(|e| e.file_name() != ".storypath") {
        let e = e.unwrap();
        let to = root.join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    (tmp, root)
}

fn build(root: &Path, out: &Path) {
    let o = storypath(&["build", "--root", root.to_str().unwrap(), "--output-dir", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The `content` of `<meta property|name="key" content="...">`.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    let at = html.find(&format!("=\"{key}\" content=\""))? + key.len() + 13;
    Some(&html[at..at + html[at..].find('"')?])
}

/// Every `<link rel="rel" ...>` tag of the page.
fn links<'a>(html: &'a str, rel: &str) -> Vec<&'a str> {
    let needle = format!("<link rel=\"{rel}\"");
    html.match_indices(&needle).map(|(at, _)| &html[at..at + html[at..].find('>').unwrap()]).collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[at..at + tag[at..].find('"')?])
}

/// A link of the page at `page` (its file under the output) resolved to a
/// file of the output.
fn resolve(out: &Path, page: &str, href: &str) -> PathBuf {
    // The 404 page links from the site's root (it is served at any depth).
    if let Some(rest) = href.strip_prefix("/jobs/") {
        return out.join(rest);
    }
    let mut dir: Vec<&str> = page.split('/').collect();
    dir.pop();
    for part in href.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                dir.pop();
            }
            p => dir.push(p),
        }
    }
    out.join(dir.join("/"))
}

fn size_of(file: &Path) -> (u32, u32) {
    image::image_dimensions(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Every file of the image cache's share cards and icons, with its inode:
/// a card drawn again is a new file (written beside, renamed into place).
#[cfg(unix)]
fn cache_entries(root: &Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    let dir = root.join(".storypath/cache/v1/og");
    walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(&dir).unwrap().display().to_string(), e.metadata().unwrap().ino()))
        .collect()
}

#[test]
fn every_page_has_a_raster_share_image_and_icons_that_exist_at_their_sizes() {
    let (tmp, root) = site();
    let out = tmp.path().join("public");
    build(&root, &out);
    let pages = html_files_of(&out);
    assert!(pages.len() > 8, "{}", pages.len());
    let mut photo_card = None;
    for (page, html) in &pages {
        let image = meta(html, "og:image").unwrap_or_else(|| panic!("{page}: no og:image"));
        assert!(!image.ends_with(".svg"), "{page}: {image}");
        let file = out.join(image.strip_prefix(BASE).unwrap_or_else(|| panic!("{page}: {image} not absolute")));
        let (w, h) = (meta(html, "og:image:width").unwrap(), meta(html, "og:image:height").unwrap());
        assert_eq!(size_of(&file), (w.parse().unwrap(), h.parse().unwrap()), "{page}: {image}");
        assert_eq!((w, h), ("1200", "630"), "{page}");
        for alt in ["og:image:alt", "twitter:image:alt"] {
            assert!(meta(html, alt).is_some_and(|a| a.len() > 10), "{page}: {alt}");
        }
        assert_eq!(meta(html, "twitter:card"), Some("summary_large_image"), "{page}");
        assert_eq!(meta(html, "twitter:image"), Some(image), "{page}");
        let mime = meta(html, "og:image:type").unwrap();
        assert_eq!(mime, if image.ends_with(".jpg") { "image/jpeg" } else { "image/png" }, "{page}");
        if page == "stories/ines-duarte/index.html" {
            photo_card = Some(file.clone());
        }
        if page == "index.html" || page == "stories/index.html" || page == "404.html" {
            assert!(image.contains("/og/site."), "{page}: the site's card, not {image}");
        }

        // Icons: a PNG and the SVG monogram (the logo is a wordmark), and
        // the apple-touch icon, each a file of its size.
        let icons = links(html, "icon");
        let touch = links(html, "apple-touch-icon");
        assert_eq!((icons.len(), touch.len()), (2, 1), "{page}: {icons:?} {touch:?}");
        for tag in icons.iter().chain(&touch) {
            let file = resolve(&out, page, attr(tag, "href").unwrap());
            assert!(file.is_file(), "{page}: {tag} -> {}", file.display());
            match attr(tag, "type") {
                Some("image/png") => {
                    let n: u32 = attr(tag, "sizes").unwrap().split('x').next().unwrap().parse().unwrap();
                    assert_eq!(size_of(&file), (n, n), "{tag}");
                }
                Some("image/svg+xml") => {
                    let svg = std::fs::read_to_string(&file).unwrap();
                    assert!(svg.starts_with("<svg") && svg.contains("#1e3a8a"), "the monogram: {svg}");
                }
                other => panic!("{page}: {tag}: type {other:?}"),
            }
        }
        assert_eq!(attr(touch[0], "sizes"), Some("180x180"));
        // The header shows the wordmark in its own shape, named.
        assert!(html.contains("alt=\"Northwind Relay\" width=\"220\" height=\"48\""), "{page}: header logo");
    }
    // favicon.ico: one 32×32 PNG in an ICO.
    let ico = std::fs::read(out.join("favicon.ico")).unwrap();
    assert_eq!((&ico[..6], ico[6], ico[7]), (&[0u8, 0, 1, 0, 1, 0][..], 32, 32));
    let png = image::load_from_memory_with_format(&ico[22..], image::ImageFormat::Png).unwrap();
    assert_eq!((png.width(), png.height()), (32, 32));

    // The photo story's card is a JPEG of the photo cropped around its
    // focal point (20% across: the red half), beside the brand panel.
    let photo_card = photo_card.expect("the photo story's page");
    assert!(photo_card.extension().is_some_and(|e| e == "jpg"));
    let img = image::open(&photo_card).unwrap().into_rgb8();
    let [r, _, b] = img.get_pixel(1150, 500).0;
    assert!(r > 150 && b < 100, "the focus picks the red half: {r} {b}");
    let [r, g, b] = img.get_pixel(400, 20).0;
    assert!(r < 60 && b > 110 && g < 90, "the brand panel: {r} {g} {b}");
    // The story without a photo has a drawn PNG card.
    let tom = &pages.iter().find(|(p, _)| p == "stories/tom-berg/index.html").unwrap().1;
    assert!(meta(tom, "og:image").unwrap().ends_with(".png"));
}

#[cfg(unix)]
#[test]
fn a_build_with_the_cache_warm_draws_nothing_and_clean_draws_again() {
    let (tmp, root) = site();
    build(&root, &tmp.path().join("first"));
    let drawn = cache_entries(&root);
    // 2 story cards, 2 role cards, the site's card, 2 icon PNGs and the ico.
    assert_eq!(drawn.len(), 8, "{drawn:?}");
    // A fresh output folder (a CI checkout) with the cache kept: every
    // card is linked from the cache, none drawn.
    let second = tmp.path().join("second");
    build(&root, &second);
    assert_eq!(cache_entries(&root), drawn, "nothing drawn again");
    {
        use std::os::unix::fs::MetadataExt;
        let card = walkdir::WalkDir::new(second.join("og/stories"))
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.file_type().is_file())
            .unwrap();
        let ino = card.metadata().unwrap().ino();
        assert!(drawn.values().any(|&i| i == ino), "the output's card is a link of the cache's entry");
    }
    // `clean` empties the cache: the next build draws every card again.
    let o = storypath(&["clean", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(cache_entries(&root).is_empty());
    build(&root, &tmp.path().join("third"));
    let again = cache_entries(&root);
    assert_eq!(again.keys().collect::<Vec<_>>(), drawn.keys().collect::<Vec<_>>(), "the same cards");
    assert!(again.iter().all(|(k, ino)| drawn[k] != *ino), "each drawn anew");
}

#[test]
fn a_square_raster_logo_is_the_icon_and_a_favicon_is_linked_as_it_is() {
    let (tmp, root) = site();
    // A 64×64 PNG logo: the icons are made from it, no SVG icon.
    let logo =
        image::RgbaImage::from_fn(64, 64, |x, _| image::Rgba(if x < 32 { [200, 0, 0, 255] } else { [0, 0, 0, 0] }));
    logo.save(root.join("static/img/square.png")).unwrap();
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(root.join("site.toml"), toml.replace("img/wordmark.svg", "img/square.png")).unwrap();
    let out = tmp.path().join("public");
    build(&root, &out);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    let icons = links(&home, "icon");
    assert_eq!(icons.len(), 1, "{icons:?}");
    let touch = resolve(&out, "index.html", attr(links(&home, "apple-touch-icon")[0], "href").unwrap());
    let img = image::open(&touch).unwrap().into_rgba8();
    assert_eq!(img.dimensions(), (180, 180));
    assert_eq!(img.get_pixel(40, 90).0, [200, 0, 0, 255], "the logo's own pixels");
    assert!(meta(&home, "og:image").unwrap().contains("/og/site."));

    // A favicon of the site's own is linked as it is, with its type.
    std::fs::write(root.join("static/img/fav.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"/>")
        .unwrap();
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(root.join("site.toml"), toml.replace("[brand]\n", "[brand]\nfavicon = \"img/fav.svg\"\n")).unwrap();
    build(&root, &out);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("<link rel=\"icon\" href=\"./img/fav.svg\" type=\"image/svg+xml\">"),
        "{:?}",
        links(&home, "icon")
    );
}
