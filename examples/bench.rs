//! Benchmark: generates a synthetic careers site of N stories (deterministic,
//! fixed seed: a ladder of 50 roles in 8 tracks, Markdown bodies of 3-8
//! paragraphs with headings, lists, a table and links, journeys of 1-6 steps,
//! a third starting outside the ladder, families, mentor chains, tags and
//! origins) and measures, for each size:
//!
//! - `check` and `build` through the real pipeline (wall time, pages per
//!   second, peak resident memory of the build);
//! - the limit: rendering the same Markdown bodies with pulldown-cmark alone
//!   and writing the same files (same paths, same sizes), in parallel;
//! - Hugo (`hugo` from Debian's packages) on the equivalent corpus: the same
//!   story files, a page per story with its journey and three related
//!   stories, the stories index, and tag, origin and role pages;
//! - the map layout alone, and the map SVG's size;
//! - `serve`'s save-to-reload time after a one-story edit;
//! - the image pipeline: a site of 100 stories, each with a phone-size
//!   JPEG (4032×3024, stored sideways with EXIF orientation and GPS tags,
//!   generated here): the first build (every image decoded and encoded, in
//!   parallel, with its peak memory), a rebuild from the cache, and the same
//!   site without photos.
//!
//! ```sh
//! cargo run --release --example bench -- 1000 10000 50000
//! cargo run --release --example bench -- --smoke   # tiny, for tests
//! cargo run --release --example bench -- --photos  # the image pipeline's figures only
//! cargo run --release --example bench -- --dir /dev/shm/sp 10000 50000
//! cargo run --release --example bench -- 10000 --no-photos --languages  # with the two-language bar
//! cargo run --release --example bench -- 1000 --jobs 500 --generate-only --dir /dev/shm/sp  # a site to profile
//! ```
//!
//! `--dir` is where sites and outputs go (default: the temporary folder).
//! On tmpfs the disk's page cache is out of the picture: at 50,000 stories
//! the output (2.8 GB) outgrows it on a small machine's disk and the wall
//! time measures the disk, not the build. The `cpu s` column (the build's
//! user + system time) grows with the work done wherever the files go.
//!
//! Figures are recorded in docs/performance.md. Compare ratios within one
//! run: the machine is noisy.

#[path = "../tests/common/http.rs"]
#[allow(dead_code)]
mod http;

#[path = "../tests/common/exif.rs"]
mod exif;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;
use storypath::pipeline::{self, Options};

/// xorshift: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The largest size built with Hugo too.
const HUGO_MAX: usize = 10_000;

const TRACKS: usize = 8;
const ROLES: usize = 50;

/// Levels of track `t`: the 50 roles are dealt round the 8 tracks, so two
/// tracks have 7 levels and six have 6.
fn levels(t: usize) -> usize {
    ROLES / TRACKS + usize::from(t < ROLES % TRACKS)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// 50 roles over 8 tracks, each moving up its track and across.
fn ladder() -> String {
    let mut s = String::new();
    for t in 0..TRACKS {
        let _ = writeln!(s, "[[track]]\nid = \"t{t}\"\nname = \"Track {t}\"\n");
    }
    for t in 0..TRACKS {
        for l in 0..levels(t) {
            let up = if l + 1 < levels(t) { format!("\"r{t}-{}\", ", l + 1) } else { String::new() };
            let across = (t + 1) % TRACKS;
            let side = if l < levels(across) { format!("\"r{across}-{l}\"") } else { String::new() };
            let _ = writeln!(
                s,
                "[[role]]\nid = \"r{t}-{l}\"\ntitle = \"Role {l} of track {t}\"\ntrack = \"t{t}\"\nlevel = {}\nsummary = \"Does the work of level {} in track {t}.\"\nskills = [\"Skill A\", \"Skill B\"]\nnext = [{}]\npay = {{ min = {}, max = {}, currency = \"USD\" }}\n",
                l + 1,
                l + 1,
                format!("{up}{side}").trim_end_matches(", "),
                30000 + l * 10000,
                38000 + l * 10000
            );
        }
    }
    s
}

fn body(rng: &mut Rng) -> String {
    let mut b = String::from("## How did you get into the industry?\n\n");
    for p in 0..3 + rng.below(6) {
        b.push_str(
            "I started on the phones and learned something every day. The people around me made the difference, ",
        );
        b.push_str("and the [open roles](https://jobs.example.org/) kept me curious about what came next.\n\n");
        if p == 1 {
            b.push_str("## What I do now\n\n- forecasting\n- coaching\n- *reporting*\n\n| Year | Role |\n|---|---|\n| 2015 | Agent |\n| 2020 | Lead |\n\n");
        }
    }
    b
}

fn generate(root: &Path, n: usize) {
    let _ = std::fs::remove_dir_all(root);
    write(&root.join("site.toml"), "title = \"Bench careers\"\nbase_url = \"https://example.org/careers/\"\n");
    write(&root.join("content/ladder.toml"), &ladder());
    let mut rng = Rng(0x5eed);
    for i in 0..n {
        let steps = 1 + rng.below(6);
        let (mut t, mut l) = (rng.below(TRACKS), 0usize);
        let mut path = Vec::new();
        if rng.below(3) == 0 {
            path.push(format!("{{ outside = \"Outside job {}\", from = 2000 }}", rng.below(25)));
        }
        for k in 0..steps {
            path.push(format!("{{ role = \"r{t}-{l}\", from = {} }}", 2001 + k * 2));
            if rng.below(4) == 0 {
                t = (t + 1) % TRACKS;
            } else {
                l += 1;
            }
            if l >= levels(t) {
                l = levels(t) - 1;
            }
        }
        let role = path.last().unwrap().split('"').nth(1).unwrap().to_string();
        // Every tenth story is the child of the one before: families; every
        // seventh has a mentor: mentor chains.
        let mut rel = String::new();
        if i % 10 == 1 {
            let _ = writeln!(rel, "parents = [\"s{}\"]", i - 1);
        }
        if i % 7 == 3 {
            let _ = writeln!(rel, "mentors = [\"s{}\"]", i - 3);
        }
        let text = format!(
            "+++\ntitle = \"Story number {i}\"\nname = \"Person {i}\"\ndate = {}-{:02}-{:02}\nrole = \"{role}\"\norigin = \"Origin {}\"\ntags = [\"tag-{}\", \"tag-{}\"]\npath = [{}]\n[relations]\n{rel}+++\n{}",
            2015 + rng.below(10),
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(8),
            rng.below(30),
            rng.below(30),
            path.join(", "),
            body(&mut rng)
        );
        write(&root.join(format!("content/stories/s{i}.md")), &text);
    }
}

/// `content/jobs.json` with `n` openings over the generated ladder: one
/// in four names its role, the rest map by `[jobs.roles]` title patterns
/// (written into `site.toml`), spread over four places and remote work.
fn write_jobs(root: &Path, n: usize) {
    let mut rng = Rng(0x05ee_d0b5 ^ n as u64);
    let roles: Vec<(usize, usize)> = (0..TRACKS).flat_map(|t| (0..levels(t)).map(move |l| (t, l))).collect();
    let places = ["Tampa, FL", "Columbus, OH", "Toronto, ON", "Manila"];
    let mut jobs = Vec::with_capacity(n);
    for i in 0..n {
        let (t, l) = roles[rng.below(roles.len())];
        let role = if i % 4 == 0 { format!("\"role\": \"r{t}-{l}\", ") } else { String::new() };
        let place = places[rng.below(places.len())];
        let remote = i % 10 == 0;
        let day = 1 + rng.below(28);
        jobs.push(format!(
            "{{\"id\": \"{}\", \"title\": \"Role {l} of track {t} – {place} {i}\", {role}\"locations\": [\"{place}\"], \"remote\": {remote}, \"employment_type\": \"FULL_TIME\", \"date_posted\": \"2026-11-{day:02}\", \"apply_url\": \"https://jobs.example.org/{i}\", \"salary_min\": 40000, \"salary_max\": 52000, \"currency\": \"USD\", \"description_html\": \"<p>Opening {i}: the work of level {} in track {t}.</p><ul><li>Coaching</li><li>Schedules</li></ul>\"}}",
            9_000_000 + i,
            l + 1
        ));
    }
    write(&root.join("content/jobs.json"), &format!("{{\"jobs\": [\n{}\n]}}\n", jobs.join(",\n")));
    let mut config = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
    if !config.contains("[jobs.roles]") {
        config.push_str("\n[jobs.roles]\n");
        for &(t, l) in &roles {
            let _ = writeln!(config, "\"Role {l} of track {t} –*\" = \"r{t}-{l}\"");
        }
        write(&root.join("site.toml"), &config);
    }
}

/// Issue 18's bar: a warm build (cache, no previous output) of `root` with
/// `jobs` openings against the same without them, best of two each,
/// alternating. Prints both and the ratio; leaves the site without jobs.
fn jobs_ratio(root: &Path, out: &Path, jobs: usize) {
    let jobs_file = root.join("content/jobs.json");
    let (mut without, mut with) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..2 {
        let _ = std::fs::remove_file(&jobs_file);
        let _ = std::fs::remove_dir_all(out);
        without = without.min(build_in_child(root, out).0);
        write_jobs(root, jobs);
        let _ = std::fs::remove_dir_all(out);
        with = with.min(build_in_child(root, out).0);
    }
    let pages = files_of(&out.join("jobs")).iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "html")).count();
    println!(
        "        ({jobs} openings: warm build {with:.2} s against {without:.2} s without, x{:.2}; {pages} jobs pages; the bar is x1.15)",
        with / without
    );
    let _ = std::fs::remove_file(&jobs_file);
}

/// Issue 19's bar: a warm build of `root` in two languages (every story
/// translated into French, `[languages.fr]`) against the same in one, best
/// of two each, alternating. Prints both and the ratio; leaves the site in
/// one language.
fn languages_ratio(root: &Path, out: &Path) {
    let config = root.join("site.toml");
    let one = std::fs::read_to_string(&config).unwrap_or_default();
    let stories = root.join("content/stories");
    let originals: Vec<std::path::PathBuf> = std::fs::read_dir(&stories)
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "md")).collect())
        .unwrap_or_default();
    let translated = |p: &Path| p.with_extension("fr.md");
    let (mut single, mut double) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..2 {
        let _ = std::fs::remove_dir_all(out);
        single = single.min(build_in_child(root, out).0);
        write(&config, &format!("{one}\n[languages.fr]\ntitle = \"Carrières\"\n"));
        for p in &originals {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            write(&translated(p), &text.replacen("title = \"Story number", "title = \"Témoignage numéro", 1));
        }
        let _ = std::fs::remove_dir_all(out);
        double = double.min(build_in_child(root, out).0);
        write(&config, &one);
        for p in &originals {
            let _ = std::fs::remove_file(translated(p));
        }
    }
    println!(
        "        (two languages, every story translated: warm build {double:.2} s against {single:.2} s in one, x{:.2}; the bar is x2.2)",
        double / single
    );
}

/// Peak resident memory of this process, in MiB (Linux).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// User + system CPU seconds of this process so far (Linux: /proc/self/stat,
/// in clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest.split_whitespace().filter_map(|v| v.parse().ok()).collect();
    // utime and stime are fields 14 and 15; `rest` starts at field 3 (state, not a number).
    f.get(10..12).map_or(0.0, |t| (t[0] + t[1]) / 100.0)
}

/// Every file under `dir`: (path relative to it, size).
fn files_of(dir: &Path) -> Vec<(std::path::PathBuf, u64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), e.metadata().map_or(0, |m| m.len())))
        .collect()
}

/// The physical limit for a build: render every story body with
/// pulldown-cmark alone, and write files of the same paths and sizes as the
/// build wrote, both in parallel. Seconds.
fn limit(site: &Path, built: &Path, scratch: &Path) -> f64 {
    use rayon::prelude::*;
    let stories: Vec<String> = walkdir::WalkDir::new(site.join("content/stories"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    let files = files_of(built);
    let _ = std::fs::remove_dir_all(scratch);
    let t = Instant::now();
    let html: usize = stories
        .par_iter()
        .map(|text| {
            let body = text.splitn(3, "+++").nth(2).unwrap_or("");
            let mut out = String::new();
            pulldown_cmark::html::push_html(
                &mut out,
                pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all()),
            );
            out.len()
        })
        .sum();
    files.par_iter().for_each(|(rel, size)| {
        let dest = scratch.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(dest, vec![b'x'; *size as usize]).unwrap();
    });
    let secs = t.elapsed().as_secs_f64();
    assert!(html > 0);
    let _ = std::fs::remove_dir_all(scratch);
    secs
}

/// Writes the equivalent Hugo site beside `site` (same story files) and
/// builds it; seconds and peak MiB, or `None` without `hugo`.
fn hugo(site: &Path, work: &Path) -> Option<(f64, f64)> {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work.join("content")).unwrap();
    copy_dir(&site.join("content/stories"), &work.join("content/stories"));
    write(
        &work.join("config.toml"),
        "baseURL = \"https://example.org/careers/\"\ntitle = \"Bench careers\"\n[taxonomies]\ntag = \"tags\"\norigin = \"origin\"\nrole = \"role\"\n[related]\nthreshold = 0\nincludeNewer = true\ntoLower = false\n[[related.indices]]\nname = \"role\"\nweight = 2\n[[related.indices]]\nname = \"tags\"\nweight = 1\n[[related.indices]]\nname = \"origin\"\nweight = 1\n",
    );
    let layouts = work.join("layouts/_default");
    write(
        &layouts.join("baseof.html"),
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title><link rel="canonical" href="{{ .Permalink }}"><meta property="og:title" content="{{ .Title }}"><meta name="description" content="{{ .Summary | plainify | truncate 160 }}"></head><body><header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>"#,
    );
    write(
        &layouts.join("single.html"),
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.name }}, <a href="{{ printf "role/%s/" .Params.role | relURL }}">{{ .Params.role }}</a></p><ol>{{ range .Params.path }}<li>{{ if reflect.IsMap . }}{{ with .role }}<a href="{{ printf "role/%s/" . | relURL }}">{{ . }}</a>{{ end }}{{ with .outside }}{{ . }}{{ end }}{{ else }}{{ . }}{{ end }}</li>{{ end }}</ol>{{ .Content }}<h2>Related</h2><ul>{{ range first 3 (.Site.RegularPages.Related .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></article>{{ end }}"#,
    );
    let list = r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.name }}<p>{{ .Summary | plainify | truncate 180 }}</p></li>{{ end }}</ul>{{ end }}"#;
    write(&layouts.join("list.html"), list);
    write(&layouts.join("terms.html"), list);
    // GNU time reports Hugo's peak memory, when it is installed.
    let timed = Path::new("/usr/bin/time").exists();
    let mut cmd = std::process::Command::new(if timed { "/usr/bin/time" } else { "hugo" });
    if timed {
        cmd.args(["-f", "%M", "hugo"]);
    }
    let t = Instant::now();
    let out = cmd.args(["--quiet", "-d"]).arg(work.join("public")).current_dir(work).output().ok()?;
    let secs = t.elapsed().as_secs_f64();
    if !out.status.success() {
        eprintln!("hugo failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let kb: f64 =
        String::from_utf8_lossy(&out.stderr).trim().lines().last().and_then(|l| l.trim().parse().ok()).unwrap_or(0.0);
    Some((secs, kb / 1024.0))
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// The map layout alone (milliseconds, best of 3) and the full map SVG's size.
fn map_figures(site: &Path) -> (f64, usize) {
    let prepared = pipeline::prepare(&Options { root: site.to_path_buf(), ..Default::default() })
        .unwrap_or_else(|f| panic!("{}", f.report()));
    let input = storypath::render::map_input(&prepared.site).expect("the bench site has a ladder");
    let mut best = f64::MAX;
    let mut layout = None;
    for _ in 0..3 {
        let t = Instant::now();
        layout = Some(storypath::map::layout(&input));
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    let svg = storypath::map::svg::render(&layout.unwrap(), &Default::default());
    (best, svg.len())
}

/// The layout of the issue's largest map: 80 roles over 10 tracks (two to
/// three roles a level in places, moves up, across and back) and 10,000
/// journeys of 1-6 steps, a third from outside (milliseconds, best of 3).
fn layout_80_ms() -> f64 {
    use storypath::load::story::Place;
    use storypath::map::{MapInput, MapRole, MapTrack};
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut input = MapInput::default();
    for t in 0..10 {
        input.tracks.push(MapTrack { id: format!("t{t}"), name: format!("Track {t}"), color: "#1d4ed8".into() });
    }
    for k in 0..80 {
        let (t, level) = (k % 10, 1 + (k / 10) as u32 - u32::from(k % 7 == 0 && k >= 10));
        input.roles.push(MapRole {
            id: format!("r{k}"),
            title: format!("Role {k} of track {t}"),
            track: format!("t{t}"),
            level,
            href: format!("/roles/r{k}/"),
            next: vec![format!("r{}", (k + 10) % 80), format!("r{}", (k + 11) % 80)],
        });
    }
    for _ in 0..10_000 {
        let mut steps = Vec::new();
        if rng.below(3) == 0 {
            steps.push(Place::Outside(format!("Outside job {}", rng.below(30))));
        }
        let mut k = rng.below(40);
        for _ in 0..1 + rng.below(6) {
            steps.push(Place::Role(format!("r{k}")));
            k = (k + [1, 9, 10, 11, 20][rng.below(5)]) % 80;
        }
        input.journeys.push(steps);
    }
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let l = storypath::map::layout(&input);
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(l.nodes.iter().filter(|n| n.href.is_some()).count(), 80);
    }
    best
}

/// Median milliseconds from saving a one-story edit to the reload poll's
/// answer, over `rounds` edits of `story` (relative to `root`).
fn reload_ms(root: &Path, story: &str, rounds: usize) -> f64 {
    use storypath::serve;
    let opts = serve::ServeOptions {
        root: root.to_path_buf(),
        interface: std::net::Ipv4Addr::LOCALHOST.into(),
        port: Some(0),
        drafts: false,
        open: false,
    };
    let running = serve::start(&opts).unwrap_or_else(|e| panic!("serve: {e:?}"));
    let addr = running.url["http://".len()..].split('/').next().unwrap().to_string();
    let base = running.url[running.url.find(&addr).unwrap() + addr.len()..].to_string();
    let stopper = running.stopper();
    let loop_ = std::thread::spawn(move || running.run());
    let wait = std::time::Duration::from_secs(30);
    let path = root.join(story);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut times = Vec::new();
    for round in 0..rounds {
        let page = http::request(&addr, "GET", &base, wait).body;
        let at = page.find("data-storypath-reload=\"").expect("reload script") + 23;
        let version = page[at..].split('"').next().unwrap().to_string();
        let poll_addr = addr.clone();
        let poll = std::thread::spawn(move || {
            let r = http::request(&poll_addr, "GET", &format!("/__storypath/reload?since={version}"), wait);
            (Instant::now(), r)
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        let tmp = path.with_extension("md.tmp");
        std::fs::write(&tmp, format!("{original}\nEdit number {round}.\n")).unwrap();
        let saved = Instant::now();
        std::fs::rename(&tmp, &path).unwrap();
        let (answered, r) = poll.join().unwrap();
        assert_eq!(r.status, 200);
        times.push(answered.duration_since(saved).as_secs_f64() * 1000.0);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    std::fs::write(&path, original).unwrap();
    stopper.stop();
    let _ = loop_.join();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The demo site copied to a scratch folder (the benchmark edits it).
fn demo_copy(to: &Path) -> std::path::PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let _ = std::fs::remove_dir_all(to);
    for dir in ["content", "static"] {
        copy_dir(&repo.join(dir), &to.join(dir));
    }
    std::fs::copy(repo.join("site.toml"), to.join("site.toml")).unwrap();
    to.to_path_buf()
}

/// A phone photo: `w`×`h` upright (a gradient with a few shapes, different
/// per `seed`, so no two are the same file), stored sideways with EXIF
/// orientation 6 and GPS tags as a phone held upright writes it.
fn phone_jpeg(seed: u64, w: u32, h: u32) -> Vec<u8> {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let (cx, cy, r) = (rng.below(w as usize) as i64, rng.below(h as usize) as i64, 200 + rng.below(600) as i64);
    // Stored: h wide, w tall; stored(x', y') = upright(w - 1 - y', x').
    let mut px = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..w {
        for x in 0..h {
            let (ux, uy) = (i64::from(w - 1 - y), i64::from(x));
            let inside = (ux - cx).pow(2) + (uy - cy).pow(2) < r * r;
            let g = ((ux * 255) / i64::from(w)) as u8;
            let noise = (((ux * 7) ^ (uy * 13)) & 15) as u8;
            px.extend_from_slice(&if inside { [200, 90 + noise, 60] } else { [g / 2 + noise, g, 180 - g / 3] });
        }
    }
    exif::jpeg(&px, h as u16, w as u16, 6)
}

/// Adds `photo = "img/p<i>.jpg"` to each of the `n` generated stories and
/// writes the photos (in parallel: encoding 12 megapixels takes a while).
fn add_photos(root: &Path, n: usize, w: u32, h: u32) {
    use rayon::prelude::*;
    std::fs::create_dir_all(root.join("static/img")).unwrap();
    (0..n).into_par_iter().for_each(|i| {
        std::fs::write(root.join(format!("static/img/p{i}.jpg")), phone_jpeg(i as u64, w, h)).unwrap();
        let file = root.join(format!("content/stories/s{i}.md"));
        let text = std::fs::read_to_string(&file).unwrap().replacen(
            &format!("name = \"Person {i}\"\n"),
            &format!("name = \"Person {i}\"\nphoto = \"img/p{i}.jpg\"\nphoto_alt = \"Person {i} at work\"\n"),
            1,
        );
        std::fs::write(file, text).unwrap();
    });
}

/// The image pipeline's figures: `n` stories with phone photos of `w`×`h`.
fn photos(dir: &Path, n: usize, w: u32, h: u32) {
    let plain = dir.join("photos-none");
    let with = dir.join("photos");
    generate(&plain, n);
    generate(&with, n);
    add_photos(&with, n, w, h);
    let mib: u64 = walk_size(&with.join("static"));
    let out = dir.join("photos-out");
    let _ = std::fs::remove_dir_all(&out);
    let (cold, peak, cpu, _) = build_in_child(&with, &out);
    // The warm builds take a tenth of a second: best of five each,
    // alternated, so the machine's noise is not the ratio.
    let _ = std::fs::remove_dir_all(&out);
    let _ = build_in_child(&plain, &out);
    let (mut warm, mut warm_peak, mut none) = (f64::MAX, 0.0f64, f64::MAX);
    for _ in 0..5 {
        let _ = std::fs::remove_dir_all(&out);
        let (t, peak, _, _) = build_in_child(&with, &out);
        (warm, warm_peak) = (warm.min(t), warm_peak.max(peak));
        let _ = std::fs::remove_dir_all(&out);
        none = none.min(build_in_child(&plain, &out).0);
    }
    println!(
        "photos: {n} phone JPEGs of {w}×{h} ({:.0} MiB): first build {cold:.2} s (cpu {cpu:.2} s, peak {peak:.0} MiB; bars 8 s, 400 MiB), \
         from the cache {warm:.3} s (peak {warm_peak:.0} MiB), without photos {none:.3} s (best of 5): x{:.2} (the bar is 1.10)",
        mib as f64 / 1024.0 / 1024.0,
        warm / none
    );
}

fn walk_size(dir: &Path) -> u64 {
    files_of(dir).iter().map(|(_, s)| s).sum()
}

/// Runs `--build-only ROOT OUT` in a new process of this program: seconds,
/// peak MiB, CPU seconds and share cards (and icons) drawn.
fn build_in_child(root: &Path, out: &Path) -> (f64, f64, f64, f64) {
    let o = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("--build-only")
        .args([root, out])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{text}{}", String::from_utf8_lossy(&o.stderr));
    let mut it = text.split_whitespace().map(|v| v.parse::<f64>().unwrap());
    (it.next().unwrap(), it.next().unwrap(), it.next().unwrap(), it.next().unwrap())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--build-only") {
        let opts =
            Options { root: args[1].clone().into(), output_dir: Some(args[2].clone().into()), ..Default::default() };
        let t = Instant::now();
        pipeline::build(&opts).unwrap_or_else(|f| panic!("{}", f.report()));
        let drawn = storypath::render::share::drawn();
        println!("{} {} {} {drawn}", t.elapsed().as_secs_f64(), peak_rss_mib(), cpu_seconds());
        return;
    }
    let smoke = args.iter().any(|a| a == "--smoke");
    // Sizes are the bare numbers, not the values of `--jobs` or `--dir`.
    let sizes: Vec<usize> = args
        .iter()
        .enumerate()
        .filter(|(k, _)| *k == 0 || !matches!(args[k - 1].as_str(), "--jobs" | "--dir"))
        .filter_map(|(_, a)| a.parse().ok())
        .collect();
    let sizes = match (smoke, sizes.is_empty()) {
        (true, _) => vec![40],
        (false, true) => vec![1000, 10000, 50000],
        (false, false) => sizes,
    };
    let rounds = if smoke { 2 } else { 5 };
    // `--jobs N`: also build each size with N openings (issue 18's bar: 5,000).
    let jobs: Option<usize> = match args.iter().position(|a| a == "--jobs") {
        Some(k) => Some(args.get(k + 1).and_then(|v| v.parse().ok()).expect("--jobs needs a number")),
        None => smoke.then_some(50),
    };
    let dir = match args.iter().position(|a| a == "--dir") {
        Some(k) => std::path::PathBuf::from(args.get(k + 1).expect("--dir needs a folder")),
        None => std::env::temp_dir().join(if smoke { "storypath-bench-smoke" } else { "storypath-bench" }),
    };
    // Only the sites, with their openings, for a profiler (docs/performance.md).
    if args.iter().any(|a| a == "--generate-only") {
        for n in sizes {
            let root = dir.join(format!("site-{n}"));
            generate(&root, n);
            if let Some(jobs) = jobs {
                write_jobs(&root, jobs);
            }
            println!("{}", root.display());
        }
        return;
    }
    if !args.iter().any(|a| a == "--cards") {
        println!("map layout, 80 roles and 10,000 journeys: {:.1} ms (best of 3; the bar is 50 ms)", layout_80_ms());
    }
    let (draw, encode, bytes) = storypath::render::share::card_timings(if smoke { 20 } else { 500 });
    println!("share card: draw {draw:.0} us, PNG encode {encode:.0} us of CPU, {:.1} KB (mean)", bytes as f64 / 1000.0);
    // `--cards`: only that line (for a profiler: docs/performance.md).
    if args.iter().any(|a| a == "--cards") {
        return;
    }
    if smoke {
        photos(&dir, 4, 800, 600);
    } else if args.iter().any(|a| a == "--no-photos") {
        // Only the sizes (for a run of another bar, such as --jobs).
    } else {
        photos(&dir, 100, 4032, 3024);
    }
    if args.iter().any(|a| a == "--photos") {
        return;
    }
    let demo = demo_copy(&dir.join("demo"));
    println!(
        "demo site: save to reload {:.0} ms (median of {rounds})",
        reload_ms(&demo, "content/stories/ada-okafor.md", rounds)
    );
    println!(
        "{:>7} {:>8} {:>8} {:>7} {:>9} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7} {:>8} {:>8} {:>8} {:>9}",
        "stories",
        "check s",
        "build s",
        "cpu s",
        "rebuild s",
        "pages/s",
        "peak MiB",
        "limit s",
        "x limit",
        "hugo s",
        "hugo/us",
        "map ms",
        "svg KiB",
        "reload ms",
        "out MiB",
        "story KiB"
    );
    for n in sizes {
        let root = dir.join(format!("site-{n}"));
        generate(&root, n);
        let out = dir.join(format!("out-{n}"));
        // Like the limit (and a CI build), the build starts with no previous output.
        let _ = std::fs::remove_dir_all(&out);
        let opts = Options { root: root.clone(), output_dir: Some(out.clone()), ..Default::default() };
        // In a process of its own, so its peak memory is its own. Cold: no
        // image cache (the site was just written) and no previous output.
        let (build, peak, cpu, drawn) = build_in_child(&root, &out);
        // Again over that output with the cache kept, as a laptop would.
        let (rebuild, _, _, rebuild_drawn) = build_in_child(&root, &out);
        // Warm: the cache but no previous output, as a CI that caches
        // `.storypath/cache` but starts from a fresh checkout. The share
        // cards are linked from the cache instead of drawn.
        let _ = std::fs::remove_dir_all(&out);
        let (warm, _, warm_cpu, warm_drawn) = build_in_child(&root, &out);
        // Cold / warm is the share cards' bar (1.3): one more cold and warm
        // build, alternating, and the best of two each, as single builds
        // on this machine vary by a tenth and more.
        let _ = std::fs::remove_dir_all(&out);
        let _ = std::fs::remove_dir_all(root.join(".storypath"));
        let (cold_again, _, _, _) = build_in_child(&root, &out);
        let _ = std::fs::remove_dir_all(&out);
        let (warm_again, _, _, _) = build_in_child(&root, &out);
        let cold_warm = build.min(cold_again) / warm.min(warm_again);
        let t = Instant::now();
        pipeline::check(&opts, storypath::clock::today()).unwrap_or_else(|f| panic!("{}", f.report()));
        let check = t.elapsed().as_secs_f64();
        let files = files_of(&out);
        let pages = files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "html")).count();
        // What the build wrote: every file, and the mean story page.
        let written: u64 = files.iter().map(|(_, size)| size).sum();
        let story_pages: Vec<u64> = files
            .iter()
            .filter(|(p, _)| p.starts_with("stories") && p.components().count() == 3)
            .map(|(_, s)| *s)
            .collect();
        let story_kib = story_pages.iter().sum::<u64>() as f64 / story_pages.len().max(1) as f64 / 1024.0;
        let limit = limit(&root, &out, &dir.join("limit"));
        // Hugo's related-content lookup grows faster than linearly: at 10,000
        // stories it already takes about a minute, so larger sizes skip it.
        let hugo = if n <= HUGO_MAX { hugo(&root, &dir.join(format!("hugo-{n}"))) } else { None };
        let (map_ms, svg) = map_figures(&root);
        let reload = reload_ms(&root, "content/stories/s0.md", rounds);
        let (hugo_s, ratio) = match hugo {
            Some((s, _)) => (format!("{s:.2}"), format!("{:.1}", s / build)),
            None => ("-".into(), "-".into()),
        };
        println!(
            "{n:>7} {check:>8.2} {build:>8.2} {cpu:>7.2} {rebuild:>9.2} {:>7.0} {peak:>8.0} {limit:>8.2} {:>8.1} {hugo_s:>8} {ratio:>8} {map_ms:>7.1} {:>8.0} {reload:>8.0} {:>8.0} {story_kib:>9.1}",
            pages as f64 / build,
            build / limit,
            svg as f64 / 1024.0,
            written as f64 / 1024.0 / 1024.0,
        );
        println!(
            "        (cold build {build:.2} s, {cpu:.2} s CPU, {drawn} cards drawn; warm {warm:.2} s, {warm_cpu:.2} s CPU, {warm_drawn} drawn; rebuild {rebuild_drawn} drawn; \
             again cold {cold_again:.2} s, warm {warm_again:.2} s; cold / warm {cold_warm:.2}, best of two each; the bar is 1.3)"
        );
        if let Some((_, mib)) = hugo {
            println!("        (hugo peak {mib:.0} MiB)");
        }
        if let Some(jobs) = jobs {
            jobs_ratio(&root, &out, jobs);
        }
        if args.iter().any(|a| a == "--languages") {
            languages_ratio(&root, &out);
        }
    }
}
