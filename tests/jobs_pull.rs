//! `storypath jobs pull` against a local stand-in for the three ATS APIs
//! (a thread per connection on 127.0.0.1, `STORYPATH_ATS_BASE` pointing the
//! binary at it): each system's normal answer, Lever's pages, saved exports,
//! and every failure leaving the previous jobs file byte for byte.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use storypath::load::jobs_file::{JobRecord, JobsFile};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ats").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the stand-in server answers to one request.
#[derive(Clone)]
enum Reply {
    Json(String),
    /// The same body, gzip-compressed when the client accepts it.
    Gzip(String),
    Status(u16, String),
    /// Accepts, reads the request, never answers (until the test is over).
    Hang,
}

struct Server {
    base: String,
    /// Request targets (path and query) in the order they came.
    seen: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Routes on the request target: `routes` maps a path (without query) to
    /// a reply; Lever's list is sliced by `skip` and `limit` as Lever does.
    fn start(routes: BTreeMap<String, Reply>, lever: Option<Vec<serde_json::Value>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (routes, lever, log) = (Arc::new(routes), Arc::new(lever), seen.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (routes, lever, log) = (routes.clone(), lever.clone(), log.clone());
                std::thread::spawn(move || answer(conn, &routes, lever.as_ref().as_deref(), &log));
            }
        });
        Server { base, seen }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn answer(
    mut conn: TcpStream,
    routes: &BTreeMap<String, Reply>,
    lever: Option<&[serde_json::Value]>,
    log: &Mutex<Vec<String>>,
) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let target = head.split(' ').nth(1).unwrap_or("/").to_string();
    let gzip_ok = head.to_ascii_lowercase().contains("accept-encoding: gzip");
    log.lock().unwrap().push(target.clone());
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let reply = match (routes.get(path), lever) {
        (Some(r), _) => r.clone(),
        (None, Some(all)) if path.starts_with("/v0/postings/") => {
            let param = |k: &str| {
                query.split('&').find_map(|p| p.strip_prefix(&format!("{k}="))).and_then(|v| v.parse::<usize>().ok())
            };
            let skip = param("skip").unwrap_or(0).min(all.len());
            let limit = param("limit").unwrap_or(100);
            let page: Vec<_> = all[skip..].iter().take(limit).cloned().collect();
            Reply::Json(serde_json::to_string(&page).unwrap())
        }
        _ => Reply::Status(404, r#"{"ok":false,"error":"Document not found"}"#.into()),
    };
    let (status, body, gz) = match reply {
        Reply::Json(b) => (200, b.into_bytes(), false),
        Reply::Gzip(b) if gzip_ok => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(b.as_bytes()).unwrap();
            (200, e.finish().unwrap(), true)
        }
        Reply::Gzip(b) => (200, b.into_bytes(), false),
        Reply::Status(s, b) => (s, b.into_bytes(), false),
        Reply::Hang => {
            std::thread::sleep(Duration::from_secs(20));
            return;
        }
    };
    let mut out = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if gz {
        out.push_str("Content-Encoding: gzip\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&body);
    let _ = conn.write_all(&bytes);
    let _ = conn.shutdown(std::net::Shutdown::Write);
    let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
    while matches!(conn.read(&mut buf), Ok(n) if n > 0) {}
}

fn routes(pairs: &[(&str, Reply)]) -> BTreeMap<String, Reply> {
    pairs.iter().map(|(p, r)| (p.to_string(), r.clone())).collect()
}

/// Runs `storypath jobs pull ARGS` with the APIs at `base`.
fn pull(base: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_storypath"));
    cmd.arg("jobs").arg("pull").args(args).env("STORYPATH_ATS_BASE", base).env("STORYPATH_LEVER_PAGE_SIZE", "2");
    for v in ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        cmd.env_remove(v);
    }
    cmd.output().expect("run storypath")
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: &Output) {
    assert!(o.status.success(), "exit {:?}\n{}", o.status.code(), err(o));
}

/// A site folder with an empty content/.
fn site() -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("content")).unwrap();
    let root = tmp.path().to_path_buf();
    let s = root.to_str().unwrap().to_string();
    (tmp, root, s)
}

fn read_jobs(path: &Path) -> (String, JobsFile) {
    let text = std::fs::read_to_string(path).unwrap();
    let file: JobsFile = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not a jobs file: {e}\n{text}"));
    assert_eq!(file.to_text(), text, "written as JobsFile::to_text writes it");
    (text, file)
}

fn job<'a>(f: &'a JobsFile, id: &str) -> &'a JobRecord {
    f.jobs.iter().find(|j| j.id == id).unwrap_or_else(|| panic!("no job {id} in {:?}", f.jobs))
}

#[test]
fn greenhouse_board_normalised_and_stable() {
    let srv = Server::start(routes(&[("/v1/boards/harborline/jobs", Reply::Json(fixture("greenhouse.json")))]), None);
    let (_tmp, root, r) = site();
    let o = pull(&srv.base, &["--greenhouse", "harborline", "--root", &r]);
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Pulled 4 openings from greenhouse:harborline"), "{o:?}");
    assert_eq!(srv.seen(), ["/v1/boards/harborline/jobs?content=true"]);
    let path = root.join("content/jobs.json");
    let (text, f) = read_jobs(&path);
    assert_eq!(f.source.as_deref(), Some("greenhouse:harborline"));
    let ids: Vec<_> = f.jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(ids, ["4012345", "4012399", "4012400", "4012401"], "sorted by id");

    let care = job(&f, "4012345");
    assert_eq!(care.title, "Customer Care Representative II – Spanish");
    assert_eq!(care.department.as_deref(), Some("Customer Care"));
    assert_eq!(care.locations, ["Tampa, FL"]);
    assert!(!care.remote);
    assert_eq!(care.employment_type.as_deref(), Some("FULL_TIME"));
    assert_eq!(care.date_posted, "2026-11-02", "first_published, not updated_at");
    assert_eq!(care.apply_url, "https://boards.greenhouse.io/harborline/jobs/4012345");
    let html = care.description_html.as_deref().unwrap();
    assert!(html.starts_with("<h2>About the role</h2><p>Help"), "{html}");
    assert!(html.contains("phone &amp; chat"), "unescaped once only: {html}");
    assert!(!html.contains("&lt;"), "{html}");
    assert_eq!((care.role.as_deref(), care.slug.as_deref(), care.valid_through.as_deref()), (None, None, None));

    let wfm = job(&f, "4012399");
    assert!(wfm.remote);
    assert!(wfm.locations.is_empty());
    assert_eq!(wfm.remote_regions, ["USA"]);
    assert_eq!(wfm.department.as_deref(), Some("Workforce Management"));

    // Only the required fields: nothing invented.
    let qa = job(&f, "4012400");
    assert_eq!(qa.date_posted, "2026-11-19", "updated_at when there is no first_published");
    assert_eq!(
        (qa.department.as_deref(), qa.employment_type.as_deref(), qa.description_html.as_deref()),
        (None, None, None)
    );
    assert!(qa.locations.is_empty() && !qa.remote && qa.salary_min.is_none());
    assert_eq!(job(&f, "4012401").locations, ["Atlanta, GA"]);

    // The same answers, the same bytes; the file is left alone.
    let o = pull(&srv.base, &["--greenhouse", "harborline", "--root", &r]);
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stdout).contains("unchanged"), "{o:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let names: Vec<_> = std::fs::read_dir(root.join("content")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["jobs.json"], "no temporary file left behind");
}

#[test]
fn lever_pages_until_a_short_one() {
    let all: Vec<serde_json::Value> = serde_json::from_str(&fixture("lever.json")).unwrap();
    let srv = Server::start(BTreeMap::new(), Some(all));
    let (_tmp, root, r) = site();
    ok(&pull(&srv.base, &["--lever", "harborline", "--root", &r]));
    assert_eq!(
        srv.seen(),
        ["/v0/postings/harborline?mode=json&skip=0&limit=2", "/v0/postings/harborline?mode=json&skip=2&limit=2"]
    );
    let (_, f) = read_jobs(&root.join("content/jobs.json"));
    assert_eq!(f.jobs.len(), 3);
    assert_eq!(f.source.as_deref(), Some("lever:harborline"));

    let lead = job(&f, "5f1c2d3e-7a8b-4c9d-8e0f-1a2b3c4d5e6f");
    assert_eq!(lead.title, "Team Lead, Customer Support");
    assert_eq!(lead.department.as_deref(), Some("Operations"), "department before team");
    assert_eq!(lead.locations, ["Charlotte, NC"]);
    assert!(!lead.remote);
    assert_eq!(lead.employment_type.as_deref(), Some("FULL_TIME"));
    assert_eq!(lead.date_posted, "2026-10-26", "createdAt in ms");
    assert!(lead.apply_url.ends_with("/apply"));
    assert_eq!((lead.salary_min, lead.salary_max), (Some(52000.0), Some(60000.0)));
    assert_eq!((lead.currency.as_deref(), lead.salary_period.as_deref()), (Some("USD"), Some("year")));
    let html = lead.description_html.as_deref().unwrap();
    assert!(html.contains("<h3>What you&#39;ll do</h3><ul><li>Run daily huddles</li>"), "{html}");
    assert!(html.ends_with("<div>We promote from within.</div>") && !html.contains("Empty list"), "{html}");

    let remote = job(&f, "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d");
    assert!(remote.remote);
    assert!(remote.locations.is_empty(), "{:?}", remote.locations);
    assert_eq!(remote.remote_regions, ["US"]);
    assert_eq!(remote.department.as_deref(), Some("Customer Care"), "team when no department");
    assert_eq!(remote.employment_type.as_deref(), Some("PART_TIME"));
    assert_eq!((remote.salary_min, remote.salary_max), (Some(17.0), Some(19.5)));
    assert_eq!((remote.currency.as_deref(), remote.salary_period.as_deref()), (Some("USD"), Some("hour")));

    let bare = job(&f, "c3d4e5f6-a7b8-4c9d-8e0f-a1b2c3d4e5f6");
    assert_eq!(bare.apply_url, "https://jobs.lever.co/harborline/c3d4e5f6-a7b8-4c9d-8e0f-a1b2c3d4e5f6");
    assert_eq!((bare.department.as_deref(), bare.employment_type.as_deref()), (None, None));
    assert!(bare.description_html.is_none() && bare.salary_min.is_none() && bare.locations.is_empty());
}

#[test]
fn lever_full_last_page_ends_on_an_empty_one() {
    let all: Vec<serde_json::Value> = serde_json::from_str(&fixture("lever.json")).unwrap();
    let srv = Server::start(BTreeMap::new(), Some(all[..2].to_vec()));
    let (_tmp, root, r) = site();
    ok(&pull(&srv.base, &["--lever", "harborline", "--root", &r]));
    assert_eq!(srv.seen().len(), 2, "{:?}", srv.seen());
    assert_eq!(read_jobs(&root.join("content/jobs.json")).1.jobs.len(), 2);
}

#[test]
fn ashby_board_with_compensation() {
    let srv = Server::start(routes(&[("/posting-api/job-board/harborline", Reply::Gzip(fixture("ashby.json")))]), None);
    let (_tmp, root, r) = site();
    ok(&pull(&srv.base, &["--ashby", "harborline", "--root", &r]));
    assert_eq!(srv.seen(), ["/posting-api/job-board/harborline?includeCompensation=true"]);
    let (_, f) = read_jobs(&root.join("content/jobs.json"));
    assert_eq!(f.jobs.len(), 3, "the unlisted posting is left out");
    assert!(f.jobs.iter().all(|j| !j.title.starts_with("Internal")));

    let wfm = job(&f, "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b");
    assert_eq!(wfm.department.as_deref(), Some("Workforce Management"));
    assert!(wfm.remote && wfm.locations.is_empty());
    assert_eq!(wfm.remote_regions, ["USA"]);
    assert_eq!(wfm.employment_type.as_deref(), Some("FULL_TIME"));
    assert_eq!(wfm.date_posted, "2026-11-12");
    assert!(wfm.apply_url.ends_with("/application"));
    assert_eq!((wfm.salary_min, wfm.salary_max), (Some(58000.0), Some(66000.0)));
    assert_eq!((wfm.currency.as_deref(), wfm.salary_period.as_deref()), (Some("USD"), Some("year")));
    assert_eq!(
        wfm.description_html.as_deref(),
        Some("<p>Own the <strong>intraday</strong> forecast for our care centres.</p>")
    );

    let care = job(&f, "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e");
    assert_eq!(care.locations, ["San Antonio, TX", "El Paso, TX"]);
    assert!(!care.remote && care.remote_regions.is_empty());
    assert_eq!(care.employment_type.as_deref(), Some("CONTRACTOR"));
    assert_eq!((care.salary_min, care.salary_period.as_deref()), (Some(18.0), Some("hour")), "from the tier");

    let lead = job(&f, "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f");
    assert_eq!(lead.department.as_deref(), Some("Support"), "team when no department");
    assert_eq!(lead.apply_url, "https://jobs.ashbyhq.com/harborline/2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f");
    assert!(lead.employment_type.is_none() && lead.salary_min.is_none() && lead.description_html.is_none());
}

#[test]
fn saved_exports_from_a_file_a_file_url_and_http() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ats");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("openings.json");
    let o = out.to_str().unwrap();

    let gh = dir.join("greenhouse.json");
    ok(&pull("", &["--url", gh.to_str().unwrap(), "--format", "greenhouse", "--out", o]));
    let (_, f) = read_jobs(&out);
    assert_eq!((f.jobs.len(), f.source.as_deref()), (4, Some("greenhouse")));

    let lever = url::Url::from_file_path(dir.join("lever.json")).unwrap();
    ok(&pull("", &["--url", lever.as_str(), "--format", "lever", "--out", o]));
    let (_, f) = read_jobs(&out);
    assert_eq!((f.jobs.len(), f.source.as_deref()), (3, Some("lever")), "one file: no pages");

    let srv = Server::start(routes(&[("/exports/ashby.json", Reply::Json(fixture("ashby.json")))]), None);
    let url = format!("{}/exports/ashby.json", srv.base);
    ok(&pull("", &["--url", &url, "--format", "ashby", "--out", o]));
    let (_, f) = read_jobs(&out);
    assert_eq!(f.jobs.len(), 3);
    assert_eq!(f.source, Some(format!("ashby:{url}")));
}

#[test]
fn an_empty_board_writes_an_empty_file() {
    let srv = Server::start(
        routes(&[("/v1/boards/quiet/jobs", Reply::Json(r#"{"jobs": [], "meta": {"total": 0}}"#.into()))]),
        None,
    );
    let (_tmp, root, r) = site();
    ok(&pull(&srv.base, &["--greenhouse", "quiet", "--root", &r]));
    let (_, f) = read_jobs(&root.join("content/jobs.json"));
    assert!(f.jobs.is_empty());
}

#[test]
fn failures_exit_1_and_keep_the_previous_file() {
    let bad_shape = r#"{"jobs": [{"id": 1, "title": "Agent", "updated_at": "2026-11-01T00:00:00Z", "absolute_url": "https://x.example/1"},
        {"id": 2, "updated_at": "2026-11-01T00:00:00Z", "absolute_url": "https://x.example/2"}]}"#;
    let srv = Server::start(
        routes(&[
            ("/v1/boards/good/jobs", Reply::Json(fixture("greenhouse.json"))),
            ("/v1/boards/broken/jobs", Reply::Status(500, "Internal Server Error".into())),
            ("/v1/boards/slow/jobs", Reply::Hang),
            ("/v1/boards/garbled/jobs", Reply::Json("{\"jobs\": [\n  {\"id\": 1,,}\n]}".into())),
            ("/v1/boards/odd/jobs", Reply::Json(bad_shape.into())),
            ("/v1/boards/nojobs/jobs", Reply::Json(r#"{"meta": {}}"#.into())),
            ("/posting-api/job-board/odd", Reply::Json(r#"{"jobs": [{"id": "x", "title": "Agent"}]}"#.into())),
        ]),
        Some(vec![serde_json::json!({"id": "a", "text": "Agent", "createdAt": "yesterday", "hostedUrl": "https://x"})]),
    );
    let (_tmp, root, r) = site();
    let path = root.join("content/jobs.json");
    ok(&pull(&srv.base, &["--greenhouse", "good", "--root", &r]));
    let before = std::fs::read(&path).unwrap();

    let refused = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let cases: Vec<(&str, Vec<&str>, Vec<String>)> = vec![
        (
            srv.base.as_str(),
            vec!["--greenhouse", "broken"],
            vec!["HTTP 500".into(), format!("{}/v1/boards/broken/jobs", srv.base)],
        ),
        (srv.base.as_str(), vec!["--greenhouse", "missing"], vec!["HTTP 404".into()]),
        (srv.base.as_str(), vec!["--greenhouse", "slow", "--timeout", "1"], vec!["no answer within 1 s".into()]),
        (srv.base.as_str(), vec!["--greenhouse", "garbled"], vec!["not valid JSON".into(), "line 2 column 12".into()]),
        (srv.base.as_str(), vec!["--greenhouse", "odd"], vec!["jobs[1].title is missing".into()]),
        (srv.base.as_str(), vec!["--greenhouse", "nojobs"], vec!["jobs is missing".into()]),
        (
            srv.base.as_str(),
            vec!["--ashby", "odd"],
            vec!["not an Ashby job board: jobs[0].publishedAt is missing".into()],
        ),
        (srv.base.as_str(), vec!["--lever", "odd"], vec!["[0].createdAt should be a number".into()]),
        (refused.as_str(), vec!["--greenhouse", "good"], vec!["connection refused".into()]),
        ("ftp://nowhere", vec!["--greenhouse", "good"], vec!["STORYPATH_ATS_BASE".into()]),
        (
            "",
            vec!["--url", "/no/such/export.json", "--format", "lever"],
            vec!["cannot read /no/such/export.json".into()],
        ),
    ];
    for (base, mut args, wants) in cases {
        args.extend(["--root", &r]);
        let start = Instant::now();
        let o = pull(base, &args);
        let e = err(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {e}");
        assert!(e.starts_with("error: "), "{args:?}: {e}");
        for want in &wants {
            assert!(e.contains(want.as_str()), "{args:?}: wanted {want:?} in\n{e}");
        }
        assert!(start.elapsed() < Duration::from_secs(8), "{args:?} took {:?}", start.elapsed());
        assert_eq!(std::fs::read(&path).unwrap(), before, "{args:?} changed the jobs file");
        let names: Vec<_> = std::fs::read_dir(root.join("content")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["jobs.json"], "{args:?} left a file behind");
    }
}

#[test]
fn wrong_usage_exits_2() {
    let (_tmp, root, r) = site();
    let path = root.join("content/jobs.json");
    std::fs::write(&path, "{\"jobs\": []}\n").unwrap();
    let cases: &[&[&str]] = &[
        &[],
        &["--greenhouse", "a", "--lever", "b"],
        &["--ashby", "a", "--url", "x.json", "--format", "ashby"],
        &["--url", "x.json"],
        &["--url", "x.json", "--format", "workday"],
        &["--greenhouse", "a", "--format", "greenhouse"],
        &["--greenhouse", "a", "--timeout", "0"],
    ];
    for args in cases {
        let mut all = args.to_vec();
        all.extend(["--root", &r]);
        let o = pull("http://127.0.0.1:9", &all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        let e = err(&o);
        assert!(e.starts_with("error: "), "{args:?}: {e}");
        assert!(e.contains("Usage") || e.contains("invalid value"), "{args:?}: {e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"jobs\": []}\n");
    }
}

/// The `storypath` commands of a CI recipe, in order: a GitHub step's
/// `run: storypath ...` or a GitLab script's `- storypath ...`.
fn recipe_commands(file: &str) -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let cmd = l.strip_prefix("run: ").or_else(|| l.strip_prefix("- "))?;
            let words: Vec<String> = cmd.split_whitespace().map(String::from).collect();
            (words.first().map(String::as_str) == Some("storypath")).then(|| words[1..].to_vec())
        })
        .collect()
}

#[test]
fn the_nightly_recipes_pull_check_and_build_as_written() {
    // examples/ci's recipes, run step by step on a copy of the demo, with
    // the ATS replaced by the local stand-in: the pulled openings replace
    // the demo's and the build publishes them.
    for file in ["jobs-nightly.github.yml", "jobs-nightly.gitlab-ci.yml"] {
        let commands = recipe_commands(file);
        let verbs: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
        assert_eq!(verbs, ["jobs", "check", "build"], "{file}: pull, check, build");
        let srv =
            Server::start(routes(&[("/v1/boards/harborline/jobs", Reply::Json(fixture("greenhouse.json")))]), None);
        let site = tempfile::tempdir().unwrap();
        common::copy_site(&common::repo(), site.path());
        for args in &commands {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_storypath"));
            cmd.args(args).current_dir(site.path()).env("STORYPATH_ATS_BASE", &srv.base);
            let o = cmd.output().unwrap();
            assert!(o.status.success(), "{file}: storypath {}\n{}", args.join(" "), err(&o));
        }
        assert_eq!(srv.seen(), ["/v1/boards/harborline/jobs?content=true"], "{file}");
        let (_, pulled) = read_jobs(&site.path().join("content/jobs.json"));
        let care = job(&pulled, "4012345");
        let page =
            site.path().join(format!("public/jobs/{}-4012345/index.html", storypath::text::slugify(&care.title)));
        assert!(page.is_file(), "{file}: the pulled opening is published at {}", page.display());
    }
}
