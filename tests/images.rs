//! The image pipeline through the real binary: phone JPEGs stored sideways
//! with GPS tags come out upright, cropped around their focal point, in
//! every size as WebP and JPEG, with no metadata left (read back with
//! exiftool, a real EXIF reader); the originals are not published; a second
//! build encodes nothing; bad images are located errors.

mod common;
#[path = "common/exif.rs"]
mod exif;

use common::{read, stderr, storypath, tree};
use std::path::Path;

const LADDER: &str = "[[track]]\nid = \"s\"\nname = \"Support\"\n[[role]]\nid = \"agent\"\ntitle = \"Agent\"\ntrack = \"s\"\nlevel = 1\n";

/// Upright 1200×800: three vertical bands, red, green, blue, each 400 wide.
fn bands() -> (Vec<u8>, u32, u32) {
    let (w, h) = (1200u32, 800u32);
    let mut px = Vec::with_capacity((w * h * 3) as usize);
    for _y in 0..h {
        for x in 0..w {
            px.extend_from_slice(match x / 400 {
                0 => &[220, 30, 30],
                1 => &[30, 200, 30],
                _ => &[30, 30, 220],
            });
        }
    }
    (px, w, h)
}

/// The upright image stored as a phone does when held sideways: pixels
/// turned a quarter to the left, EXIF orientation 6 ("turn right to show").
fn sideways_jpeg() -> Vec<u8> {
    let (px, w, h) = bands();
    // Stored is h wide and w tall: stored(x', y') = upright(w - 1 - y', x').
    let mut stored = Vec::with_capacity(px.len());
    for y in 0..w {
        for x in 0..h {
            let (ux, uy) = (w - 1 - y, x);
            let i = ((uy * w + ux) * 3) as usize;
            stored.extend_from_slice(&px[i..i + 3]);
        }
    }
    exif::jpeg(&stored, h as u16, w as u16, 6)
}

fn story(slug: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"Story of {slug}\"\nname = \"Person {slug}\"\ndate = 2024-01-0{}\nrole = \"agent\"\n{extra}+++\nBody.\n",
        slug.len() % 9 + 1
    )
}

fn site(dir: &Path, stories: &[(&str, String)]) {
    std::fs::create_dir_all(dir.join("content/stories")).unwrap();
    std::fs::create_dir_all(dir.join("static/img")).unwrap();
    std::fs::write(dir.join("site.toml"), "title = \"T\"\nbase_url = \"https://example.org/careers/\"\n").unwrap();
    std::fs::write(dir.join("content/ladder.toml"), LADDER).unwrap();
    std::fs::write(dir.join("static/img/phone.jpg"), sideways_jpeg()).unwrap();
    for (slug, text) in stories {
        std::fs::write(dir.join(format!("content/stories/{slug}.md")), text).unwrap();
    }
}

fn build(root: &Path, out: &Path) -> String {
    let o = storypath(&["build", "--root", root.to_str().unwrap(), "--output-dir", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

/// `src="…"` and every `srcset` candidate of `<img class="{class}"` and
/// the `<source>` before it, in the page at `page` (relative to `out`).
fn picture_files(out: &Path, page: &str, class: &str) -> Vec<String> {
    let html = read(out, page);
    let at = html.find(&format!("class=\"{class}\"")).unwrap_or_else(|| panic!("no {class} in {page}"));
    let start = html[..at].rfind("<picture>").expect("a <picture>");
    let end = at + html[at..].find("</picture>").unwrap();
    let pic = &html[start..end];
    let dir = Path::new(page).parent().unwrap();
    let mut files = Vec::new();
    for attr in ["srcset=\"", "src=\""] {
        for part in pic.split(attr).skip(1) {
            let value = &part[..part.find('"').unwrap()];
            for candidate in value.split(", ") {
                let url = candidate.split(' ').next().unwrap();
                let path = normalise(&dir.join(url));
                files.push(path);
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

fn normalise(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

fn rgb_at(img: &image::RgbImage, fx: f64, fy: f64) -> [u8; 3] {
    let x = ((f64::from(img.width()) * fx) as u32).min(img.width() - 1);
    let y = ((f64::from(img.height()) * fy) as u32).min(img.height() - 1);
    img.get_pixel(x, y).0
}

fn dominant(c: [u8; 3]) -> char {
    let [r, g, b] = c;
    if r > 150 && g < 100 && b < 100 {
        'r'
    } else if g > 150 && r < 100 && b < 100 {
        'g'
    } else if b > 150 && r < 100 && g < 100 {
        'b'
    } else {
        '?'
    }
}

#[test]
fn phone_photos_are_published_upright_cropped_and_without_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let photo = "photo = \"img/phone.jpg\"\nphoto_alt = \"Bands\"\n";
    site(
        &root,
        &[
            ("left", story("left", &format!("{photo}photo_focus = \"0% 50%\"\n"))),
            ("right", story("right", &format!("{photo}photo_focus = \"100% 50%\"\n"))),
            ("mid", story("mid", photo)),
        ],
    );
    let out = tmp.path().join("public");
    let said = build(&root, &out);
    assert!(said.contains("images made"), "{said}");
    let files = tree(&out);
    assert!(!files.contains_key("img/phone.jpg"), "the original is never copied to the output");

    // Every published raster image: decodable, and nothing but pixels.
    let rasters: Vec<&String> =
        files.keys().filter(|p| p.ends_with(".jpg") || p.ends_with(".webp") || p.ends_with(".png")).collect();
    assert!(rasters.iter().filter(|p| p.starts_with("img/phone.")).count() >= 8, "{rasters:?}");
    let exiftool = std::process::Command::new("exiftool")
        .args(["-j", "-a", "-G1", "-n"])
        .args(rasters.iter().map(|p| out.join(p)))
        .output()
        .expect("exiftool reads the output images (missing? run ./test, which installs every tool the tests need)");
    let report: Vec<serde_json::Value> = serde_json::from_slice(&exiftool.stdout).expect("exiftool -j");
    assert_eq!(report.len(), rasters.len());
    for file in &report {
        for (key, value) in file.as_object().unwrap() {
            let group = key.split(':').next().unwrap();
            assert!(
                !["IFD0", "ExifIFD", "GPS", "XMP-x", "XMP", "IFD1", "ICC_Profile", "MakerNotes"]
                    .iter()
                    .any(|g| group.starts_with(g))
                    && !key.contains("GPS")
                    && !key.ends_with(":Make")
                    && !key.ends_with(":Orientation"),
                "{key} = {value} survived in {}",
                file["SourceFile"]
            );
        }
    }
    // The source did carry them (so the check above can fail).
    let src = std::process::Command::new("exiftool")
        .args(["-j", "-n"])
        .arg(root.join("static/img/phone.jpg"))
        .output()
        .unwrap();
    let src: serde_json::Value = serde_json::from_slice(&src.stdout).unwrap();
    assert_eq!(src[0]["Orientation"], 6);
    assert!(src[0]["GPSLatitude"].as_f64().is_some_and(|l| (l - 43.65).abs() < 0.01), "{src}");
    assert_eq!(src[0]["Make"], "StoryPhone");

    // Upright: the card crop (8:5) of the 1200×800 upright image is landscape,
    // red on the left and blue on the right.
    let index = read(&out, "stories/index.html");
    assert!(index.contains("class=\"card-photo\""), "the stories list shows card photos");
    let cards = picture_files(&out, "stories/index.html", "card-photo");
    let jpg = cards.iter().find(|p| p.ends_with(".jpg")).expect("a JPEG fallback");
    let img = image::open(out.join(jpg)).unwrap().to_rgb8();
    assert!(img.width() > img.height(), "upright and landscape: {}×{}", img.width(), img.height());
    assert_eq!((dominant(rgb_at(&img, 0.05, 0.5)), dominant(rgb_at(&img, 0.95, 0.5))), ('r', 'b'));

    // The focal point steers the square avatar: 800×800 of the 1200 wide.
    for (slug, left, right) in [("left", 'r', 'g'), ("right", 'g', 'b'), ("mid", 'r', 'b')] {
        let page = format!("stories/{slug}/index.html");
        let html = read(&out, &page);
        let files = picture_files(&out, &page, "story-photo");
        assert!(files.iter().any(|f| f.ends_with(".webp")) && files.iter().any(|f| f.ends_with(".jpg")), "{files:?}");
        for f in &files {
            assert!(out.join(f).is_file(), "{page} links {f}, which the output lacks");
        }
        let biggest = files.iter().filter(|f| f.ends_with(".jpg")).max_by_key(|f| f.len()).unwrap();
        let img = image::open(out.join(biggest)).unwrap().to_rgb8();
        assert_eq!(img.width(), img.height(), "{biggest} is square");
        let (l, r) = (dominant(rgb_at(&img, 0.1, 0.5)), dominant(rgb_at(&img, 0.9, 0.5)));
        if slug == "mid" {
            // Centred: 200..1000 of the bands: red, green, blue.
            assert_eq!((l, dominant(rgb_at(&img, 0.5, 0.5)), r), ('r', 'g', 'b'), "{slug}");
        } else {
            assert_eq!((l, r), (left, right), "{slug}");
        }
        // The story's own photo is its largest image: fetched first, with
        // its size given so nothing shifts.
        let tag = &html[html.find("class=\"story-photo\"").unwrap()..];
        let tag = &tag[..tag.find('>').unwrap()];
        assert!(tag.contains("fetchpriority=\"high\"") && !tag.contains("loading=\"lazy\""), "{tag}");
        assert!(tag.contains("width=\"240\" height=\"240\""), "{tag}");
        assert!(tag.contains("srcset=\"") && tag.contains(" 480w"), "{tag}");
    }
}

#[test]
fn a_second_build_encodes_nothing_and_clean_empties_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site(&root, &[("a", story("a", "photo = \"img/phone.jpg\"\nphoto_alt = \"Bands\"\n"))]);
    let (one, two, three) = (tmp.path().join("one"), tmp.path().join("two"), tmp.path().join("three"));
    assert!(build(&root, &one).contains("images made"));
    let said = build(&root, &two);
    assert!(!said.contains("images made"), "the cache had every image: {said}");
    assert_eq!(tree(&one), tree(&two), "cached or not, the same bytes");
    let entries = |root: &Path| {
        walkdir::WalkDir::new(root.join(".storypath/cache/v1/img"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .count()
    };
    assert!(entries(&root) >= 8);

    let o = storypath(&["clean", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Removed"), "{}", String::from_utf8_lossy(&o.stdout));
    assert_eq!(entries(&root), 0);
    assert!(build(&root, &three).contains("images made"), "after clean the images are made again");
    assert_eq!(tree(&one), tree(&three), "encoding is deterministic");
}

#[test]
fn bad_images_are_located_errors_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site(
        &root,
        &[
            ("a", story("a", "photo = \"img/broken.jpg\"\nphoto_alt = \"x\"\n")),
            ("b", story("b", "photo = \"img/huge.png\"\nphoto_alt = \"x\"\n")),
            ("c", story("c", "photo = \"img/gone.jpg\"\nphoto_alt = \"x\"\n")),
        ],
    );
    std::fs::write(root.join("static/img/broken.jpg"), b"this is not a JPEG at all").unwrap();
    // 1500×1000 = 1.5 megapixels, over a limit of 1.
    let big = image::RgbImage::from_pixel(1500, 1000, image::Rgb([9, 9, 9]));
    big.save(root.join("static/img/huge.png")).unwrap();
    std::fs::write(root.join("site.toml"), "title = \"T\"\n[images]\nmax_megapixels = 1\n").unwrap();
    let out = tmp.path().join("public");
    let o = storypath(&["build", "--root", root.to_str().unwrap(), "--output-dir", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!out.exists(), "nothing written");
    for (file, message) in [
        ("content/stories/a.md:6:9", "photo `img/broken.jpg` cannot be used"),
        ("content/stories/b.md:6:9", "photo `img/huge.png` is 1500×1000 (1.5 megapixels), more than the limit of 1"),
        ("content/stories/c.md:6:9", "photo `img/gone.jpg` not found"),
    ] {
        assert!(err.contains(file), "{file} in:\n{err}");
        assert!(err.contains(message), "{message} in:\n{err}");
    }
    assert!(err.contains("raise [images] max_megapixels"), "{err}");
    // `check` finds them too, without decoding anything.
    let o = storypath(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot be used"), "{}", stderr(&o));
}

#[test]
fn a_cache_folder_among_the_sources_or_in_the_output_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site(&root, &[("a", story("a", ""))]);
    std::fs::write(root.join("site.toml"), "title = \"T\"\n[images]\ncache_dir = \"static/cache\"\n").unwrap();
    let o = storypath(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot hold the image cache"), "{}", stderr(&o));
    std::fs::write(root.join("site.toml"), "title = \"T\"\n[images]\ncache_dir = \"public/.cache\"\n").unwrap();
    let o = storypath(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("inside the output folder"), "{}", stderr(&o));
    // clean never removes a folder that is not a tagged cache.
    std::fs::create_dir_all(root.join("mine/v1")).unwrap();
    std::fs::write(root.join("mine/v1/notes.txt"), "keep me").unwrap();
    std::fs::write(root.join("site.toml"), "title = \"T\"\n[images]\ncache_dir = \"mine\"\n").unwrap();
    let o = storypath(&["clean", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(root.join("mine/v1/notes.txt").is_file());
}

/// exiftool's view of `file`: every tag by group:name.
fn tags(file: &Path) -> serde_json::Map<String, serde_json::Value> {
    let o = std::process::Command::new("exiftool").args(["-j", "-a", "-G1", "-n"]).arg(file).output().unwrap();
    let report: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).expect("exiftool -j");
    report[0].as_object().unwrap().clone()
}

#[test]
fn static_images_nothing_shows_are_published_at_their_path_without_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site(&root, &[("a", story("a", ""))]);
    // A sideways phone JPEG (orientation 6, GPS, camera make) nothing refers
    // to, and a PNG, a WebP and a GIF given GPS, XMP and comments by exiftool.
    let (px, w, h) = bands();
    let img = image::RgbImage::from_raw(w, h, px).unwrap();
    for f in ["bg.png", "bg.webp", "bg.gif"] {
        img.save(root.join("static").join(f)).unwrap();
        let o = std::process::Command::new("exiftool")
            .args(["-q", "-overwrite_original", "-Comment=secret comment", "-XMP-dc:Creator=Secret Author"])
            .args(["-GPSLatitude=43.65", "-GPSLatitudeRef=N", "-GPSLongitude=79.38", "-GPSLongitudeRef=W"])
            .arg(root.join("static").join(f))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let written = tags(&root.join("static/bg.png"));
    assert!(written.keys().any(|k| k.contains("GPS")) && written.keys().any(|k| k.contains("Creator")), "{written:?}");

    let out = tmp.path().join("public");
    build(&root, &out);
    for f in ["img/phone.jpg", "bg.png", "bg.webp", "bg.gif"] {
        let (src, published) = (root.join("static").join(f), out.join(f));
        assert!(published.is_file(), "{f} is published at its own path");
        for (key, value) in tags(&published) {
            assert!(
                !key.contains("GPS")
                    && !key.starts_with("XMP")
                    && !key.ends_with(":Comment")
                    && !key.ends_with(":Make")
                    && !key.ends_with(":Creator"),
                "{key} = {value} survived in {f}"
            );
        }
        // Its pixels are untouched: decoded, they are the source's.
        let (a, b) = (image::open(&src).unwrap(), image::open(&published).unwrap());
        assert_eq!(a.to_rgba8().into_raw(), b.to_rgba8().into_raw(), "{f}: the same pixels");
    }
    // The phone JPEG still shows upright: its orientation is all that is left.
    let jpeg = tags(&out.join("img/phone.jpg"));
    assert_eq!(jpeg.get("IFD0:Orientation"), Some(&serde_json::json!(6)), "{jpeg:?}");
    let src = tags(&root.join("static/img/phone.jpg"));
    assert!(src.contains_key("GPS:GPSLatitude") && src.contains_key("IFD0:Make"), "the source had them: {src:?}");

    // A file that is not the image its name says is an error naming it.
    std::fs::write(root.join("static/notes.png"), b"not a PNG").unwrap();
    let o = storypath(&["build", "--root", root.to_str().unwrap(), "--output-dir", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("static/notes.png") && stderr(&o).contains("cannot be used"), "{}", stderr(&o));
    assert!(out.join("bg.gif").is_file(), "the previous output is kept");
}
