//! `storypath cms`: the Decap CMS set-up made from the site. The config
//! follows the ladder when run again and keeps the user's backend block;
//! files it did not write are never replaced; and, in Chromium, the real
//! Decap CMS (npm's `decap-cms`, saving through `decap-server`) creates a
//! story that passes `storypath check` and shows in `storypath serve`.

mod common;

use common::browser::{node_json, node_packages};
use common::server::Server;
use common::{copy_site, repo, stderr, storypath};
use std::path::Path;
use std::time::{Duration, Instant};

fn demo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&repo(), tmp.path());
    tmp
}

fn cms(root: &Path) -> std::process::Output {
    storypath(&["cms", "--root", root.to_str().unwrap()])
}

/// Replaces `from` (which must be there) with `to` in a file of the site.
fn edit(root: &Path, rel: &str, from: &str, to: &str) -> String {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has {from}");
    let edited = text.replace(from, to);
    std::fs::write(&path, &edited).unwrap();
    edited
}

const JAMAL: &str = "content/stories/jamal-wright.md";

fn config(root: &Path) -> String {
    std::fs::read_to_string(root.join("static/admin/config.yml")).unwrap()
}

#[test]
fn the_config_follows_the_ladder_and_keeps_the_backend_block() {
    let site = demo();
    let root = site.path();
    let o = cms(root);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = config(root);
    // Every ladder role is an option, by id, titled.
    let ladder: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("content/ladder.toml")).unwrap()).unwrap();
    let roles = ladder["role"].as_array().unwrap();
    for r in roles {
        let (id, title) = (r["id"].as_str().unwrap(), r["title"].as_str().unwrap());
        assert!(first.contains(&format!("value: \"{id}\"")) && first.contains(title), "role {id} is offered");
    }
    // Tags and origins the stories use; a typed path list; relations to stories.
    for want in [
        "\"workforce-planning\"",
        "\"Night shift\"",
        "format: \"toml-frontmatter\"",
        "types:",
        "widget: \"relation\", collection: \"stories\"",
    ] {
        assert!(first.contains(want), "config.yml has {want}");
    }
    // The same site makes the same bytes.
    assert!(cms(root).status.success());
    assert_eq!(config(root), first, "deterministic");

    // The user points the backend at GitLab; the ladder gains a role.
    std::fs::write(
        root.join("static/admin/config.yml"),
        first.replace(
            "  name: github\n  repo: your-org/your-careers-site",
            "  name: gitlab\n  repo: harborline/careers",
        ),
    )
    .unwrap();
    let ladder_path = root.join("content/ladder.toml");
    let mut text = std::fs::read_to_string(&ladder_path).unwrap();
    text.push_str(
        "\n[[role]]\nid = \"knowledge-manager\"\ntitle = \"Knowledge Base Manager\"\ntrack = \"quality\"\nlevel = 3\nsummary = \"Keeps the answers right.\"\n",
    );
    std::fs::write(&ladder_path, text).unwrap();
    let o = cms(root);
    assert!(o.status.success(), "{}", stderr(&o));
    let second = config(root);
    assert!(second.contains("value: \"knowledge-manager\"") && second.contains("Knowledge Base Manager"));
    assert!(
        second.contains("  name: gitlab\n  repo: harborline/careers") && !second.contains("name: github"),
        "{second}"
    );
}

#[test]
fn a_file_storypath_did_not_write_is_never_replaced() {
    let site = demo();
    let root = site.path();
    std::fs::create_dir_all(root.join("static/admin")).unwrap();
    let mine = "<!doctype html><title>Our own admin</title>\n";
    std::fs::write(root.join("static/admin/index.html"), mine).unwrap();
    let o = cms(root);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("static/admin/index.html") && err.contains("not made by `storypath cms`"), "{err}");
    assert!(err.contains("help:"), "{err}");
    assert_eq!(std::fs::read_to_string(root.join("static/admin/index.html")).unwrap(), mine);
    assert!(!root.join("static/admin/config.yml").exists(), "nothing is written when one file is refused");
}

#[test]
fn a_site_with_errors_gets_no_cms() {
    let site = demo();
    let root = site.path();
    edit(root, JAMAL, "role = \"escalations-specialist\"", "role = \"escalation-specialist\"");
    let o = cms(root);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("content/stories/jamal-wright.md:5:8"), "{}", stderr(&o));
    assert!(!root.join("static/admin").exists());
}

#[test]
fn the_page_loads_the_decap_release_the_tests_run() {
    let site = demo();
    assert!(cms(site.path()).status.success());
    let index = std::fs::read_to_string(site.path().join("static/admin/index.html")).unwrap();
    let pkg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("tests/browser/package.json")).unwrap()).unwrap();
    let version = pkg["dependencies"]["decap-cms"].as_str().unwrap();
    assert!(index.contains(&format!("https://unpkg.com/decap-cms@{version}/dist/decap-cms.js")), "{index}");
    assert!(index.contains("<meta name=\"robots\" content=\"noindex\">"));
    // Built, it is published under the base path, as the site's admin/.
    let (_out, public) = common::build(site.path(), &[]);
    assert!(public.join("admin/index.html").is_file() && public.join("admin/config.yml").is_file());
}

#[test]
fn a_path_step_may_name_its_type_as_a_cms_writes_it() {
    let site = demo();
    let root = site.path();
    let step = "{ role = \"chat-agent\", from = 2015, to = 2016 }";
    edit(root, JAMAL, step, "{ type = \"role\", role = \"chat-agent\", from = 2015, to = 2016 }");
    let o = storypath(&["check", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    edit(root, JAMAL, "type = \"role\"", "type = \"outside\"");
    let o = storypath(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("content/stories/jamal-wright.md:13:12") && err.contains("does not fit its keys"), "{err}");
}

/// `decap-server` (Decap's local backend) in the site folder, on a free
/// port; its output goes nowhere, so it cannot hold a pipe open.
struct DecapServer {
    child: std::process::Child,
    port: u16,
}

impl DecapServer {
    fn start(root: &Path) -> DecapServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let script = node_packages().join("node_modules/decap-server/dist/index.js");
        let child = std::process::Command::new("node")
            .arg(script)
            .current_dir(root)
            .env("PORT", port.to_string())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start decap-server with node");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(30), "decap-server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        DecapServer { child, port }
    }
}

impl Drop for DecapServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn in_chromium_a_story_made_in_the_cms_passes_check_and_shows_in_serve() {
    let site = demo();
    let root = site.path();
    assert!(cms(root).status.success());
    let server = Server::start(root, &[]);
    let decap = DecapServer::start(root);
    // The photo to upload: a real JPEG from the writer's computer (outside the site).
    let desk = tempfile::tempdir().unwrap();
    let photo = desk.path().join("zoe.jpg");
    std::fs::copy(repo().join("static/img/grace-chen.jpg"), &photo).unwrap();
    let shot = desk.path().join("cms.png");
    let report = node_json(
        "cms.mjs",
        &[format!("{}admin/", server.url).into(), decap.port.to_string().into(), photo.into(), shot.into()],
        &server.stderr(),
    );
    assert!(report.get("failure").is_none(), "the CMS run failed: {report}");
    assert_eq!(report["away"], serde_json::json!([]), "nothing left the machine: {report}");
    assert_eq!(report["errors"], serde_json::json!([]), "no script errors: {report}");
    assert_eq!(report["entry"], "zoe-test-writer");

    // The file Decap wrote, through decap-server, into the site.
    let file = root.join("content/stories/zoe-test-writer.md");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    for want in [
        "title = \"From the night shift to the schedule\"",
        "name = \"Zoë Test-Writer\"",
        "role = \"scheduler\"",
        "origin = \"Night shift\"",
        "tags = [\"workforce-planning\"]",
        "outside = \"Retail cashier\"",
        "mentors = [\"sharmane-good\"]",
        "photo = \"img/zoe.jpg\"",
        "photo_alt = \"Zoë at the scheduling desk\"",
        "I took night shifts while I studied.",
    ] {
        assert!(text.contains(want), "the story has {want}:\n{text}");
    }
    // The upload went into static/img/, byte for byte.
    let uploaded = std::fs::read(root.join("static/img/zoe.jpg")).expect("the photo in static/img/");
    assert_eq!(uploaded, std::fs::read(repo().join("static/img/grace-chen.jpg")).unwrap());
    let o = storypath(&["check", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "the CMS's story passes check:\n{}\n{text}", stderr(&o));

    // serve saw the new file: the story's page, and the mentor's page
    // names her mentee.
    let base = server.base();
    let start = Instant::now();
    let page = loop {
        let r = server.get(&format!("{base}stories/zoe-test-writer/"));
        if r.status == 200 {
            break r.body;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "serve did not show the story:\n{}", server.stderr());
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(page.contains("From the night shift to the schedule") && page.contains("Retail cashier"));
    assert!(page.contains("alt=\"Zoë at the scheduling desk\"") && page.contains("srcset="), "her photo, resized");
    assert!(server.get(&format!("{base}stories/sharmane-good/")).body.contains("Zoë Test-Writer"));
    // The CMS page itself is served as written: no reload script in it.
    let admin = server.get(&format!("{base}admin/"));
    assert!(admin.status == 200 && !admin.body.contains("data-storypath-reload"), "{}", admin.body);
}

#[test]
fn an_optional_text_a_cms_cleared_is_left_out() {
    let site = demo();
    let root = site.path();
    let story = root.join(JAMAL);
    let text = std::fs::read_to_string(&story).unwrap();
    let cleared = ["location", "photo", "photo_alt", "quote", "origin"].iter().fold(text, |t, key| {
        let line = t.lines().find(|l| l.starts_with(&format!("{key} = "))).unwrap().to_string();
        t.replace(&line, &format!("{key} = \"\""))
    });
    std::fs::write(&story, cleared).unwrap();
    let o = storypath(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("warning[missing-photo]: the story of Jamal Wright has no photo"), "{err}");
    assert!(err.contains("warning[missing-quote]: the story of Jamal Wright has no quote"), "{err}");
    let (_out, public) = common::build(root, &[]);
    let page = std::fs::read_to_string(public.join("stories/jamal-wright/index.html")).unwrap();
    assert!(!page.contains("pull-quote") && !page.contains("An angry customer"), "no empty quote");
}
