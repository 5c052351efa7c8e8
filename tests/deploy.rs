//! The deploy recipes of `examples/deploy/`, each checked by its host's own
//! checker and then run as written on a copy of the demo site:
//!
//! - GitHub Pages and GitLab Pages: validated against the workflow schemas
//!   `check-jsonschema` vendors, then their `run:` steps and `script:` lines
//!   run in a shell with the host's variables set;
//! - Netlify: read by Netlify's configuration loader (`@netlify/config`), its
//!   build command run with `URL` set, its header rules held against the files
//!   the build wrote;
//! - Cloudflare Pages: the `_headers` file parsed by Netlify's parser of the
//!   same format, published through `static/`, its rules held against the build;
//! - S3 and CloudFront: the script checked by `shellcheck` and run with a
//!   stand-in `aws` that records each upload's Cache-Control;
//! - nginx: the server block checked by `nginx -t`, then serving the build
//!   on loopback.
//!
//! Only the installers are stand-ins: `cargo install` does nothing (the
//! `storypath` on the PATH is this build's) and `aws` writes a log. The
//! tools are installed by `.ci/run`; a missing one fails the test with the
//! command that installs it.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn deploy(file: &str) -> PathBuf {
    common::repo().join("examples/deploy").join(file)
}

/// `target/py/bin/<tool>` (installed by `.ci/run`), or the one on the PATH.
fn py_tool(tool: &str) -> PathBuf {
    let local = common::repo().join("target/py/bin").join(tool);
    if local.exists() {
        return local;
    }
    PathBuf::from(tool)
}

fn run_ok(cmd: &mut Command, what: &str) -> Output {
    let o = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e} (missing? run ./test, which installs every tool the tests need)"));
    assert!(
        o.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// A YAML file as JSON, read by ruamel.yaml (check-jsonschema's own YAML reader).
fn yaml(path: &Path) -> Value {
    let o = run_ok(
        Command::new(py_tool("python")).args([
            "-c",
            "import json, sys, ruamel.yaml; print(json.dumps(ruamel.yaml.YAML(typ='safe').load(open(sys.argv[1]))))",
        ])
        .arg(path),
        "python with ruamel.yaml (target/py; missing? run ./test, which installs every tool the tests need)",
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn schema_check(schema: &str, path: &Path) {
    run_ok(
        Command::new(py_tool("check-jsonschema")).args(["--builtin-schema", schema]).arg(path),
        &format!("check-jsonschema {schema} {}", path.display()),
    );
}

/// A copy of the demo site and a folder of stand-ins to put first on the PATH.
struct Site {
    dir: tempfile::TempDir,
    bin: tempfile::TempDir,
}

impl Site {
    fn demo() -> Site {
        let dir = tempfile::tempdir().unwrap();
        common::copy_site(&common::repo(), dir.path());
        let bin = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_storypath"), bin.path().join("storypath")).unwrap();
        executable(
            &bin.path().join("cargo"),
            "#!/bin/sh\n# the recipes' installer: storypath is already on the PATH\nexit 0\n",
        );
        executable(&bin.path().join("aws"), FAKE_AWS);
        Site { dir, bin }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Runs one line of a recipe with `sh -c` in the site's folder, with
    /// the stand-ins first on the PATH and `env` set.
    fn sh(&self, line: &str, env: &[(&str, &str)]) -> Output {
        let path = format!("{}:{}", self.bin.path().display(), std::env::var("PATH").unwrap_or_default());
        let mut cmd = Command::new("sh");
        cmd.args(["-c", line]).current_dir(self.root()).env("PATH", path).envs(env.iter().copied());
        run_ok(&mut cmd, &format!("the recipe's `{line}`"))
    }

    /// Every file the build wrote, `/`-separated and relative to public/.
    fn files(&self) -> Vec<String> {
        let out = self.public();
        walkdir::WalkDir::new(&out)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/"))
            .collect()
    }

    /// The built home page names `base` as its canonical address, and the
    /// host finds its not-found page where it looks for it.
    fn assert_built_for(&self, base: &str) {
        let home = common::read(&self.public(), "index.html");
        assert!(home.contains(&format!("<link rel=\"canonical\" href=\"{base}\"")), "home's canonical is not {base}");
        assert!(common::read(&self.public(), "sitemap.xml").contains(&format!("<loc>{base}stories/")));
        assert!(self.public().join("404.html").is_file(), "404.html at the root of public/");
    }
}

fn executable(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A stand-in for the AWS CLI: `s3 sync` walks the source folder with the
/// CLI's filter rules (every `--exclude`/`--include` in order, the last match
/// wins, `*` and `?` match across `/`) and records each file it would
/// upload with its Cache-Control; a file already uploaded is unchanged and
/// skipped, as `sync` does. Every call is logged as a JSON line in $AWS_LOG.
const FAKE_AWS: &str = r#"#!/usr/bin/env python3
import fnmatch, json, os, sys
args = sys.argv[1:]
log = os.environ["AWS_LOG"]
state = log + ".uploads"
uploads = json.load(open(state)) if os.path.exists(state) else {}
entry = {"args": args}
if args[:2] == ["s3", "sync"]:
    src, rest = args[2], args[4:]
    rules, cache, i = [], None, 0
    while i < len(rest):
        a = rest[i]
        if a in ("--exclude", "--include"):
            rules.append((a == "--include", rest[i + 1])); i += 2
        elif a == "--cache-control":
            cache = rest[i + 1]; i += 2
        elif a == "--delete":
            i += 1
        else:
            sys.exit("aws stand-in: unknown option " + a)
    sent = []
    for d, _, names in os.walk(src):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), src).replace(os.sep, "/")
            keep = True
            for include, pat in rules:
                if fnmatch.fnmatchcase(rel, pat):
                    keep = include
            if keep and rel not in uploads:
                uploads[rel] = cache
                sent.append(rel)
    entry["uploaded"] = sorted(sent)
    json.dump(uploads, open(state, "w"))
with open(log, "a") as f:
    f.write(json.dumps(entry) + "\n")
"#;

/// A name with a content hash (`style.adda77b8c0.css`): cached for a year.
fn fingerprinted(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() > 2
        && parts[1..parts.len() - 1].iter().any(|p| p.len() == 10 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Netlify's and Cloudflare's header rules (`/css/*`, `/*`, `/feed.xml`)
/// held against the build: a long-lived Cache-Control only on fingerprinted
/// files, and every fingerprinted stylesheet and script under one.
fn assert_cache_rules(rules: &[Value], files: &[String]) {
    let matches = |pattern: &str, rel: &str| {
        let url = format!("/{rel}");
        match pattern.strip_suffix('*') {
            Some(prefix) => url.starts_with(prefix),
            None => url == pattern,
        }
    };
    let long: Vec<&str> = rules
        .iter()
        .filter(|r| r["values"]["Cache-Control"].as_str().is_some_and(|v| v.contains("immutable")))
        .map(|r| r["for"].as_str().unwrap())
        .collect();
    assert!(!long.is_empty(), "no long-lived rule: {rules:?}");
    for rel in files {
        let cached = long.iter().any(|p| matches(p, rel));
        assert!(!cached || fingerprinted(rel), "{rel} is cached for a year but its name changes not with its bytes");
        if rel.ends_with(".css") || rel.ends_with(".js") || rel.starts_with("og/") {
            assert!(cached, "{rel} is fingerprinted but not cached for long");
        }
    }
}

#[test]
fn github_pages_workflow_is_valid_and_builds_with_the_pages_address() {
    let file = deploy("github-pages.yml");
    schema_check("vendor.github-workflows", &file);
    let wf = yaml(&file);
    let steps = wf["jobs"]["build"]["steps"].as_array().unwrap();
    let uses = |name: &str| steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(name)));
    assert_eq!(uses("actions/configure-pages").unwrap()["id"], "pages");
    assert_eq!(uses("actions/upload-pages-artifact").unwrap()["with"]["path"], "public");
    assert!(wf["jobs"]["deploy"]["steps"][0]["uses"].as_str().unwrap().starts_with("actions/deploy-pages"));
    assert_eq!(wf["permissions"]["pages"], "write");
    assert_eq!(wf["permissions"]["id-token"], "write");

    let site = Site::demo();
    // configure-pages gives the address without a trailing slash.
    let base = "https://harborline.github.io/careers";
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().any(|r| r.starts_with("storypath build")), "{runs:?}");
    for run in runs {
        let line = run.replace("${{ steps.pages.outputs.base_url }}", base);
        assert!(!line.contains("${{"), "a step the test cannot run: {line}");
        site.sh(&line, &[]);
    }
    site.assert_built_for(&format!("{base}/"));
    assert!(site.public().join(".nojekyll").is_file(), ".nojekyll");
}

#[test]
fn gitlab_pages_job_is_valid_and_builds_with_the_pages_address() {
    let file = deploy("gitlab-pages.gitlab-ci.yml");
    schema_check("vendor.gitlab-ci", &file);
    let ci = yaml(&file);
    let job = &ci["pages"];
    assert_eq!(job["artifacts"]["paths"], serde_json::json!(["public"]), "GitLab publishes public/");
    let site = Site::demo();
    let base = "https://harborline.gitlab.io/careers";
    for line in job["script"].as_array().unwrap() {
        site.sh(line.as_str().unwrap(), &[("CI_PAGES_URL", base)]);
    }
    site.assert_built_for(&format!("{base}/"));
}

/// `netlify.mjs`: what Netlify's own loader makes of a site's netlify.toml
/// (and of a `_headers` file).
fn netlify(dir: &Path, headers_file: Option<&Path>) -> Value {
    let mut args = vec![dir.as_os_str().to_owned()];
    if let Some(f) = headers_file {
        args.extend(["--headers-file".into(), f.as_os_str().to_owned()]);
    }
    common::npm_package("@netlify/config");
    common::browser::node_json("netlify.mjs", &args, "Netlify's configuration loader")
}

#[test]
fn netlify_config_is_read_by_netlify_and_caches_only_fingerprinted_files_for_long() {
    let site = Site::demo();
    std::fs::copy(deploy("netlify.toml"), site.root().join("netlify.toml")).unwrap();
    let config = netlify(site.root(), None);
    assert_eq!(config["publish"].as_str().map(PathBuf::from), Some(site.public()));
    let base = "https://careers.harborline.example";
    site.sh(config["command"].as_str().unwrap(), &[("URL", base)]);
    site.assert_built_for(&format!("{base}/"));
    assert_cache_rules(config["headers"].as_array().unwrap(), &site.files());

    // The loader is a real check: a rule it cannot read fails.
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(bad.path().join("netlify.toml"), "[[headers]]\nfor = 3\n").unwrap();
    let o =
        Command::new("node").arg(common::repo().join("tests/browser/netlify.mjs")).arg(bad.path()).output().unwrap();
    assert!(!o.status.success(), "a header rule without a path passed");
}

#[test]
fn cloudflare_headers_file_is_published_and_caches_only_fingerprinted_files_for_long() {
    let file = deploy("cloudflare/_headers");
    let text = std::fs::read_to_string(&file).unwrap();
    // Cloudflare Pages' documented limits: 100 rules, 2,000 characters a line.
    assert!(text.lines().filter(|l| l.starts_with('/')).count() <= 100);
    assert!(text.lines().all(|l| l.len() <= 2000));
    let parsed = netlify(tempfile::tempdir().unwrap().path(), Some(&file));
    let rules = parsed["headersFile"].as_array().unwrap();
    assert_eq!(rules.len(), text.lines().filter(|l| l.starts_with('/')).count(), "every rule was read: {rules:?}");

    let site = Site::demo();
    std::fs::copy(&file, site.root().join("static/_headers")).unwrap();
    let base = "https://harborline-careers.pages.dev";
    site.sh("storypath check && storypath build --base-url \"$CF_PAGES_URL/\"", &[("CF_PAGES_URL", base)]);
    site.assert_built_for(&format!("{base}/"));
    assert_eq!(std::fs::read_to_string(site.public().join("_headers")).unwrap(), text, "Pages reads public/_headers");
    assert_cache_rules(rules, &site.files());
}

#[test]
fn s3_script_passes_shellcheck_and_uploads_every_file_with_its_cache_policy() {
    let script = deploy("s3-cloudfront.sh");
    run_ok(Command::new("shellcheck").arg(&script), "shellcheck");
    let site = Site::demo();
    let log = site.bin.path().join("aws.log");
    let log_s = log.to_string_lossy().into_owned();
    let base = "https://company.example/careers/";
    site.sh(
        &format!("sh {}", script.display()),
        &[
            ("BUCKET", "company-www"),
            ("PREFIX", "careers"),
            ("DISTRIBUTION", "E1ABCDEF2GHIJK"),
            ("BASE_URL", base),
            ("AWS_LOG", &log_s),
        ],
    );
    site.assert_built_for(base);
    let calls: Vec<Value> =
        std::fs::read_to_string(&log).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let uploads: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(format!("{log_s}.uploads")).unwrap()).unwrap();
    for rel in site.files() {
        if rel == ".storypath-output" {
            assert!(!uploads.contains_key(&rel), "the build's marker is not published");
            continue;
        }
        let cache = uploads.get(&rel).unwrap_or_else(|| panic!("{rel} was not uploaded"));
        let want = if fingerprinted(&rel) {
            "immutable"
        } else if rel.ends_with(".html") {
            "must-revalidate"
        } else {
            "max-age=3600"
        };
        assert!(cache.contains(want), "{rel}: Cache-Control {cache}, not {want}");
    }
    // Every call goes to the bucket's folder; pages after the files they
    // link to; stale files removed after everything is up; then the
    // CloudFront invalidation of the folder.
    let args =
        |c: &Value| c["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect::<Vec<_>>();
    let pages_at = calls
        .iter()
        .position(|c| {
            c["uploaded"].as_array().is_some_and(|u| u.iter().any(|f| f.as_str().unwrap().ends_with(".html")))
        })
        .unwrap();
    let delete_at = calls.iter().position(|c| args(c).contains(&"--delete".to_string())).unwrap();
    assert!(calls[..pages_at]
        .iter()
        .all(|c| c["uploaded"].as_array().is_some_and(|u| u.iter().all(|f| !f.as_str().unwrap().ends_with(".html")))));
    assert!(delete_at > pages_at);
    for c in &calls[..calls.len() - 1] {
        assert_eq!(args(c)[3], "s3://company-www/careers/", "{c}");
    }
    let last = args(calls.last().unwrap());
    assert_eq!(last[..2], ["cloudfront", "create-invalidation"]);
    assert!(last.windows(2).any(|w| w == ["--paths", "/careers/*"]), "{last:?}");
}

/// Stops the nginx a test started. It runs as one process
/// (`master_process off`): a master killed outright would leave its workers
/// running, holding the test run's output open.
struct Nginx(std::process::Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn nginx_config_passes_nginx_t_and_serves_the_site_with_its_404_and_cache_policy() {
    use std::os::unix::fs::PermissionsExt;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let prefix = tempfile::tempdir().unwrap();
    // nginx's workers run as `nobody`: they must read the site.
    std::fs::set_permissions(prefix.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let www = prefix.path().join("www");
    let recipe = std::fs::read_to_string(deploy("nginx.conf")).unwrap();
    assert!(recipe.contains("    listen 80;\n") && recipe.contains("    root /srv/www;\n"));
    let server = recipe
        .replace("    listen 80;\n", &format!("    listen 127.0.0.1:{port};\n"))
        .replace("    root /srv/www;\n", &format!("    root {};\n", www.display()));
    std::fs::write(prefix.path().join("careers.conf"), server).unwrap();
    let p = prefix.path().display();
    std::fs::write(
        prefix.path().join("nginx.conf"),
        format!(
            "master_process off;\npid {p}/nginx.pid;\nerror_log {p}/error.log;\nevents {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  \
             access_log off;\n  client_body_temp_path {p};\n  include {p}/careers.conf;\n}}\n"
        ),
    )
    .unwrap();

    let site = Site::demo();
    let out = www.join("careers");
    site.sh(
        &format!("storypath build --base-url https://company.example/careers/ --output-dir {}", out.display()),
        &[],
    );
    let conf = prefix.path().join("nginx.conf");
    run_ok(Command::new("nginx").arg("-t").arg("-p").arg(prefix.path()).arg("-c").arg(&conf), "nginx -t");
    let _nginx = Nginx(
        Command::new("nginx")
            .arg("-p")
            .arg(prefix.path())
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start nginx"),
    );
    let addr = format!("127.0.0.1:{port}");
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(
            start.elapsed().as_secs() < 20,
            "nginx did not start: {}",
            std::fs::read_to_string(prefix.path().join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let get = |path: &str| common::http::request(&addr, "GET", path, std::time::Duration::from_secs(10));

    let home = get("/careers/");
    assert_eq!(home.status, 200);
    assert_eq!(home.body, common::read(&out, "index.html"));
    assert!(home.header("Cache-Control").unwrap().contains("must-revalidate"), "{:?}", home.headers);
    assert_eq!(get("/careers/stories/").status, 200);
    let missing = get("/careers/no-such-story/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, common::read(&out, "404.html"), "the site's own 404 page");
    let css = walkdir::WalkDir::new(out.join("css"))
        .into_iter()
        .map(Result::unwrap)
        .find(|e| e.file_type().is_file())
        .unwrap();
    let css = get(&format!("/careers/css/{}", css.file_name().to_string_lossy()));
    assert_eq!(css.status, 200);
    assert!(css.header("Cache-Control").unwrap().contains("immutable"), "{:?}", css.headers);
    assert!(css.header("Content-Type").unwrap().starts_with("text/css"));
    let map = get("/careers/map.svg");
    assert_eq!(map.status, 200);
    assert_eq!(map.header("Cache-Control"), Some("public, max-age=3600"));
    assert!(map.header("Content-Type").unwrap().starts_with("image/svg+xml"));
}
