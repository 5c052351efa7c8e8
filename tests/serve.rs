//! `storypath serve` for real: the binary on a free port, files edited on
//! disk, pages and reload polls fetched over HTTP.

mod common;

use common::server::{request, Server};
use common::{copy_site, repo};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

const STORY: &str = "content/stories/ada-okafor.md";

fn demo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&repo(), tmp.path());
    tmp
}

/// Saves the way many editors do: write a temporary file, then rename it
/// over the original.
fn save(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let tmp = path.with_extension("md.tmp");
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, &path).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap()
}

#[test]
fn an_edit_is_served_and_the_reload_sent_within_two_seconds() {
    let site = demo();
    let server = Server::start(site.path(), &[]);
    assert_eq!(server.base(), "/careers/");
    let page = format!("{}stories/ada-okafor/", server.base());
    let before = server.get(&page);
    assert_eq!(before.status, 200);
    assert!(before.body.contains("dinner table"));
    let version = server.version();

    let addr = server.addr.clone();
    let poll = std::thread::spawn(move || {
        request(&addr, "GET", &format!("/__storypath/reload?since={version}"), Duration::from_secs(10))
    });
    std::thread::sleep(Duration::from_millis(200));
    let saved = Instant::now();
    save(site.path(), STORY, &read(site.path(), STORY).replace("dinner table", "breakfast table"));
    let reply = poll.join().unwrap();
    let took = saved.elapsed();
    assert_eq!(reply.status, 200);
    assert_ne!(reply.body.trim(), version.to_string(), "the poll answered without a new version");
    assert!(took < Duration::from_secs(2), "reload sent after {took:?}");

    let after = server.get(&page);
    assert!(after.body.contains("breakfast table"), "{}", after.body);
    assert!(!after.body.contains("dinner table"));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.rebuilds(), 1, "one save, one rebuild:\n{}", server.stderr());
}

#[test]
fn a_burst_of_saves_is_one_rebuild() {
    let site = demo();
    let server = Server::start(site.path(), &[]);
    let text = read(site.path(), STORY);
    // An editor's save: a swap file, a backup, a temporary file renamed
    // over the story, then the story written twice more.
    fs::write(site.path().join("content/stories/.ada-okafor.md.swp"), "x").unwrap();
    fs::write(site.path().join("content/stories/ada-okafor.md~"), &text).unwrap();
    save(site.path(), STORY, &text.replace("dinner table", "lunch table"));
    fs::write(site.path().join(STORY), text.replace("dinner table", "supper table")).unwrap();
    fs::write(site.path().join(STORY), text.replace("dinner table", "tea table")).unwrap();
    fs::remove_file(site.path().join("content/stories/.ada-okafor.md.swp")).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(server.rebuilds(), 1, "{}", server.stderr());
    assert!(server.get(&format!("{}stories/ada-okafor/", server.base())).body.contains("tea table"));

    // Editor leftovers alone change nothing.
    fs::write(site.path().join("content/stories/ada-okafor.md~"), "backup").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(server.rebuilds(), 1, "{}", server.stderr());
}

#[test]
fn a_bad_edit_shows_the_errors_over_the_last_good_page_until_fixed() {
    let site = demo();
    let server = Server::start(site.path(), &[]);
    let page = format!("{}stories/ada-okafor/", server.base());
    let good = read(site.path(), STORY);
    let version = server.version();

    save(site.path(), STORY, &good.replace("role = \"reporting-analyst\"\n", "role = \"reporting-analist\"\n"));
    let v2: u64 = server.poll(version, Duration::from_secs(10)).body.trim().parse().unwrap();
    assert_ne!(v2, version);
    let shown = server.get(&page);
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("id=\"storypath-errors\""), "no overlay:\n{}", shown.body);
    assert!(shown.body.contains("content/stories/ada-okafor.md:5:8"), "{}", shown.body);
    assert!(shown.body.contains("unknown role `reporting-analist`"), "{}", shown.body);
    assert!(shown.body.contains("did you mean `reporting-analyst`?"), "{}", shown.body);
    assert!(shown.body.contains("dinner table"), "the last good page is still served");
    // The report is printed as the rebuild ends; its last line may come
    // a moment after the page is served.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut err = server.stderr();
    while !err.contains("still serving the last good build") && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        err = server.stderr();
    }
    assert!(err.contains("--> content/stories/ada-okafor.md:5:8"), "{err}");
    assert!(err.contains("still serving the last good build"), "{err}");

    save(site.path(), STORY, &good.replace("dinner table", "fixed table"));
    server.poll(v2, Duration::from_secs(10));
    let fixed = server.get(&page);
    assert!(!fixed.body.contains("storypath-errors"));
    assert!(fixed.body.contains("fixed table"));
}

#[test]
fn serves_only_the_files_of_the_site() {
    let site = demo();
    let server = Server::start(site.path(), &[]);
    let base = server.base();

    let root = server.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("Location"), Some(base.as_str()));
    for (path, ctype) in [
        ("", "text/html; charset=utf-8"),
        ("map.svg", "image/svg+xml"),
        ("feed.xml", "application/atom+xml"),
        ("sitemap.xml", "application/xml"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("img/marisol.svg", "image/svg+xml"),
        ("search.json", "application/json"),
    ] {
        let r = server.get(&format!("{base}{path}"));
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type"), Some(ctype), "{path}");
    }
    // The stylesheet by the hashed name pages link; the theme's plain name
    // is not published.
    let home = server.get(&base).body;
    let needle = "<link rel=\"stylesheet\" href=\"";
    let at = home.find(needle).expect("a stylesheet") + needle.len();
    let sheet = home[at..at + home[at..].find('"').unwrap()].trim_start_matches("./");
    let r = server.get(&format!("{base}{sheet}"));
    assert_eq!((r.status, r.header("Content-Type")), (200, Some("text/css; charset=utf-8")), "{sheet}");
    assert_eq!(server.get(&format!("{base}css/style.css")).status, 404, "no unhashed copy of the theme's stylesheet");
    // A photo is served as the image pipeline publishes it, never the original.
    assert_eq!(server.get(&format!("{base}img/ada.png")).status, 404, "originals are not published");
    let page = server.get(&format!("{base}stories/ada-okafor/")).body;
    let at = page.find("srcset=\"../../img/ada.").expect("the photo's srcset") + "srcset=\"../../".len();
    let variant = &page[at..at + page[at..].find(' ').unwrap()];
    let r = server.get(&format!("{base}{variant}"));
    assert_eq!((r.status, r.header("Content-Type")), (200, Some("image/webp")), "{variant}");
    // A role's share card, drawn when asked for.
    let role = server.get(&format!("{base}roles/agent/")).body;
    let needle = "<meta property=\"og:image\" content=\"";
    let at = role.find(needle).unwrap() + needle.len();
    let url = &role[at..at + role[at..].find('"').unwrap()];
    let path = &url[url.find("/careers/").unwrap()..];
    let card = server.get(path);
    assert_eq!((card.status, card.header("Content-Type")), (200, Some("image/png")), "{path}");
    assert_eq!(server.get(&format!("{base}stories")).header("Location"), Some("/careers/stories/"));
    let missing = server.get(&format!("{base}no-such-page/"));
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "{}", missing.body);

    for path in [
        "/careers/../site.toml",
        "/careers/%2e%2e/site.toml",
        "/careers/%2E%2E%2Fsite.toml",
        "/careers/..%2f..%2f..%2fetc%2fpasswd",
        "/careers/..\\..\\site.toml",
        "/careers/%5c..%5csite.toml",
        "/careers/leak.txt",
        "/etc/passwd",
        "//etc/passwd",
        "/careers//etc/passwd",
        "/careers/content/stories/ada-okafor.md",
        "/careers/%00",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("root:") && !r.body.contains("base_url"), "{path} leaked a file");
    }
    assert_eq!(request(&server.addr, "POST", &base, Duration::from_secs(5)).status, 405);
    let head = request(&server.addr, "HEAD", &base, Duration::from_secs(5));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());

    // A link out of the site is an error, as in `build`, and is not served.
    let version = server.version();
    std::os::unix::fs::symlink("/etc/hostname", site.path().join("static/leak.txt")).unwrap();
    server.poll(version, Duration::from_secs(10));
    let page = server.get(&base);
    assert!(page.body.contains("id=\"storypath-errors\""), "no overlay:\n{}", page.body);
    assert!(page.body.contains("leads outside the site folder"), "{}", page.body);
    assert_eq!(server.get(&format!("{base}leak.txt")).status, 404);
}

#[test]
fn a_busy_explicit_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = common::storypath(&["serve", "--port", &port]);
    assert_eq!(o.status.code(), Some(2));
    let err = common::stderr(&o);
    assert!(err.contains(&format!("port {port} on 127.0.0.1 is already in use")), "{err}");
    assert!(err.contains("--port 0"), "{err}");
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = demo();
    let mut server = Server::start(site.path(), &[]);
    let pid = server.child.id().to_string();
    let killed = std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    std::thread::sleep(Duration::from_millis(100));
    assert!(server.stdout.lock().unwrap().contains("Stopped."));
}

#[test]
fn build_output_has_no_reload_script() {
    let (_tmp, out) = common::build(&repo(), &[]);
    for (path, bytes) in common::tree(&out) {
        assert!(!String::from_utf8_lossy(&bytes).contains("__storypath"), "{path}");
    }
}

#[test]
fn a_site_broken_at_start_is_served_once_fixed() {
    let site = demo();
    let good = read(site.path(), STORY);
    fs::write(site.path().join(STORY), good.replace("name = ", "nmae = ")).unwrap();
    let server = Server::start(site.path(), &[]);
    let page = server.get(&server.base());
    assert!(page.body.contains("storypath-errors"), "{}", page.body);
    assert!(page.body.contains("did you mean `name`?"), "{}", page.body);
    let version = server.version();
    save(site.path(), STORY, &good);
    // The first good build makes every image of the demo (the broken one
    // made none): a long poll, answered as soon as it is done.
    server.poll(version, Duration::from_secs(60));
    let page = server.get(&server.base());
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("storypath-errors"));
}

#[test]
fn a_templates_folder_made_while_serving_is_watched() {
    let site = demo();
    let server = Server::start(site.path(), &[]);
    let version = server.version();
    // Generous waits (a poll returns as soon as the version moves): on a
    // busy machine a rebuild of every story page can take seconds.
    fs::create_dir(site.path().join("templates")).unwrap();
    let v2: u64 = server.poll(version, Duration::from_secs(30)).body.trim().parse().unwrap();
    let override_ = "{% extends \"base.html\" %}{% block content %}<h1>Local {{ story.name }}</h1>{% endblock %}";
    fs::write(site.path().join("templates/story.html"), override_).unwrap();
    // Writing a file is two events (made, then written); on a loaded
    // machine they can arrive far enough apart to make two rebuilds, the
    // first with the file still empty. So poll until the page shows it.
    let (deadline, mut seen) = (std::time::Instant::now() + Duration::from_secs(30), v2);
    let page = loop {
        seen = server.poll(seen, Duration::from_secs(30)).body.trim().parse().unwrap_or(seen);
        let page = server.get(&format!("{}stories/ada-okafor/", server.base()));
        if page.body.contains("<h1>Local Ada Okafor</h1>") || std::time::Instant::now() > deadline {
            break page;
        }
    };
    assert!(page.body.contains("<h1>Local Ada Okafor</h1>"), "{}", page.body);
    // The server prints its line after the new pages are served.
    let err = (0..100)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(20));
            server.stderr()
        })
        .find(|e| e.lines().rfind(|l| l.starts_with("Rebuilt")).is_some_and(|l| l.contains("templates/story.html")))
        .unwrap_or_else(|| server.stderr());
    let last = err.lines().rfind(|l| l.starts_with("Rebuilt")).unwrap();
    assert!(last.contains("templates/story.html"), "{err}");
    // Only the pages that use story.html: the twelve published stories and
    // the eleven French ones.
    assert!(last.contains(": 23 pages rendered"), "{last}");
}

#[test]
fn a_photo_replaced_in_place_is_served_new() {
    // Kofi's photo replaced by another picture under the same name: the
    // page links new files (their names carry the new bytes' hash) and
    // they are served.
    let site = demo();
    let server = Server::start(site.path(), &[]);
    let url = format!("{}stories/kofi-mensah/", server.base());
    let photo_of = |body: &str| -> String {
        let at = body.find("class=\"story-photo\"").expect("the story's photo");
        let tag = &body[at..at + body[at..].find('>').unwrap()];
        let src = tag.split("src=\"").nth(1).unwrap();
        src[..src.find('"').unwrap()].to_string()
    };
    let before = photo_of(&server.get(&url).body);
    let version = server.version();
    let file = site.path().join("static/img/kofi-mensah.jpg");
    let (w, h) = image::image_dimensions(&file).unwrap();
    let tmp = file.with_extension("new.jpg");
    image::RgbImage::from_pixel(w, h, image::Rgb([240, 10, 200])).save(&tmp).unwrap();
    fs::rename(&tmp, &file).unwrap();
    // Writing the new file beside the old is an edit of its own: the first
    // rebuild may come before the rename's, so wait for the page to change.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let mut after = before.clone();
    let mut since = version;
    while after == before && std::time::Instant::now() < deadline {
        server.poll(since, Duration::from_secs(10));
        since = server.version();
        after = photo_of(&server.get(&url).body);
    }
    assert_ne!(before, after, "the page links the new photo's files");
    // Linked from /stories/kofi-mensah/ as ../../img/...: from the root.
    let img = server.get(&format!("{}{}", server.base(), after.trim_start_matches("../")));
    assert_eq!(img.status, 200, "{after}");
    let px = image::load_from_memory(&img.bytes).expect("an image").to_rgb8();
    let p = px.get_pixel(px.width() / 2, px.height() / 2);
    assert!(p[0] > 200 && p[1] < 60 && p[2] > 160, "the new picture: {p:?}");
}

#[test]
fn editing_the_jobs_file_re_renders_what_shows_openings() {
    // A third Team Lead opening: the jobs page, the role page's count, the
    // call to action of a story in that role, and the map's badge follow.
    let site = demo();
    let server = Server::start(site.path(), &[]);
    let story = format!("{}stories/tomas-lindqvist/", server.base());
    assert!(server.get(&story).body.contains("Open Team Lead roles (2)"));
    let version = server.version();
    let text = read(site.path(), "content/jobs.json");
    let added = r#""jobs": [
    {
      "id": "4019999",
      "title": "Team Lead, Billing",
      "role": "team-lead",
      "locations": ["Tampa, FL"],
      "date_posted": "2026-11-30",
      "apply_url": "https://jobs.example.org/harborline/4019999",
      "description_html": "<p>Lead the billing team.</p>"
    },"#;
    let path = site.path().join("content/jobs.json");
    let tmp = path.with_extension("json.tmp");
    fs::write(&tmp, text.replacen(r#""jobs": ["#, added, 1)).unwrap();
    fs::rename(&tmp, &path).unwrap();
    server.poll(version, Duration::from_secs(10));
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut page = server.get(&story).body;
    while !page.contains("Open Team Lead roles (3)") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        page = server.get(&story).body;
    }
    assert!(page.contains("Open Team Lead roles (3)"), "{}", server.stderr());
    let jobs = server.get(&format!("{}jobs/", server.base())).body;
    assert!(jobs.contains("Team Lead, Billing"));
    let opening = server.get(&format!("{}jobs/team-lead-billing-4019999/", server.base()));
    assert_eq!(opening.status, 200);
    assert!(opening.body.contains("Lead the billing team."));
    assert!(server.get(&format!("{}roles/team-lead/", server.base())).body.contains("3 open positions"));
    let map = server.get(&format!("{}map/", server.base())).body;
    assert!(map.contains("<title>Team Lead: 3 open positions</title>"), "the map's badge");
    assert!(server.get(&format!("{}map.svg", server.base())).body.contains("Team Lead: 3 open positions"));
}
