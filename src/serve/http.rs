//! Answers one HTTP request from the site held in memory. Only files of the
//! built site can be served: a request path is decoded, checked segment by
//! segment (no `..`, no `.`, no backslash, no NUL) and looked up in the list
//! of output files, so no request can name a file on disk. Files copied from
//! `static/` or a theme folder are read at request time, and only when their
//! real path (after symbolic links) is inside the site's folder.

use super::{Live, Served};
use crate::render::Content;
use crate::text::escape_xml;
use std::io::Cursor;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// The long-poll endpoint the injected script waits on for a reload.
pub const RELOAD_PATH: &str = "/__storypath/reload";

/// How long a reload poll waits before answering "nothing new".
const POLL_WAIT: Duration = Duration::from_secs(25);

/// What to send back.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub location: Option<String>,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Reply { status, content_type, body, location: None }
    }

    fn redirect(status: u16, to: String) -> Self {
        Reply { location: Some(to), ..Reply::new(status, "text/plain; charset=utf-8", b"Moved\n".to_vec()) }
    }
}

/// Longest request target answered (browsers send far shorter ones).
const MAX_URL: usize = 8 * 1024;
/// Most headers, and most bytes of headers, a request may carry.
const MAX_HEADERS: usize = 100;
const MAX_HEADER_BYTES: usize = 32 * 1024;

/// The largest declared body a request may carry and still be answered.
/// tiny_http 0.12 reads a request's unread body into one buffer of the
/// declared size when the request is dropped, so a forged `Content-Length`
/// of many gigabytes would abort the process. GET and HEAD have no body;
/// a request declaring more than this is dropped unanswered and its memory
/// never freed (its connection stays open until the client gives up): a
/// small leak per such request instead of a dead server.
const MAX_BODY: usize = 64 * 1024;

/// Answers `req`; a reload poll blocks here until the site changes.
pub fn handle(live: &Live, req: Request) {
    if req.body_length().is_some_and(|n| n > MAX_BODY) {
        std::mem::forget(req);
        return;
    }
    let header_bytes: usize =
        req.headers().iter().map(|h| h.field.as_str().as_str().len() + h.value.as_str().len() + 4).sum();
    let reply = if req.url().len() > MAX_URL {
        Reply::new(414, "text/plain; charset=utf-8", b"URI too long\n".to_vec())
    } else if req.headers().len() > MAX_HEADERS || header_bytes > MAX_HEADER_BYTES {
        Reply::new(431, "text/plain; charset=utf-8", b"Request header fields too large\n".to_vec())
    } else if req.body_length().is_some_and(|n| n > 0) {
        // Only GET and HEAD are answered, and they carry no body.
        Reply::new(400, "text/plain; charset=utf-8", b"Unexpected request body\n".to_vec())
    } else if req.url().split('?').next() == Some(RELOAD_PATH) {
        poll(live, req.url())
    } else {
        let served = live.snapshot();
        route(req.method(), req.url(), &served)
    };
    let len = reply.body.len();
    let mut response = Response::new(
        StatusCode(reply.status),
        vec![
            header("Content-Type", reply.content_type),
            header("Cache-Control", "no-store"),
            header("X-Content-Type-Options", "nosniff"),
            // One request per connection: tiny_http 0.12 serves each
            // connection on a pool thread until it closes, and its pool can
            // queue a burst of new connections behind open ones; closing
            // after each answer keeps threads turning over.
            header("Connection", "close"),
        ],
        Cursor::new(reply.body),
        Some(len),
        None,
    );
    if let Some(to) = &reply.location {
        response.add_header(header("Location", to));
    }
    if reply.status == 405 {
        response.add_header(header("Allow", "GET, HEAD"));
    }
    // The client may have gone away; nothing to do about it.
    let _ = req.respond(response);
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header names and ASCII values")
}

/// Waits until the site's version differs from `?since=N`, then answers the
/// current version; after [`POLL_WAIT`] answers the same version, and the
/// script polls again.
fn poll(live: &Live, url: &str) -> Reply {
    let since = url.split_once("since=").and_then(|(_, v)| v.split('&').next()?.parse::<u64>().ok());
    let version = live.wait_for_change(since.unwrap_or(0), POLL_WAIT);
    Reply::new(200, "text/plain; charset=utf-8", version.to_string().into_bytes())
}

/// The answer to a request for a page or file of the site.
pub fn route(method: &Method, url: &str, served: &Served) -> Reply {
    if !matches!(method, Method::Get | Method::Head) {
        return Reply::new(405, "text/plain; charset=utf-8", b"Method not allowed\n".to_vec());
    }
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let Some(path) = clean_path(raw) else {
        return not_found(served);
    };
    let base = served.base_path.as_str();
    let Some(rel) = path.strip_prefix(base) else {
        if path == "/" || format!("{path}/") == base {
            return Reply::redirect(302, base.to_string());
        }
        return not_found(served);
    };
    let file = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    match served.files.get(&file) {
        Some(content) => match read(content, served) {
            Some(body) => file_reply(200, &file, body, served),
            None => not_found(served),
        },
        None if served.files.contains_key(&format!("{file}/index.html")) => Reply::redirect(301, format!("{path}/")),
        None => not_found(served),
    }
}

/// The decoded path if every segment is a plain name; `None` for anything
/// that could step out of the site (`..`, `%2e%2e`, `\`, NUL).
fn clean_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') || raw.len() > 2048 {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8().ok()?;
    let segments: Vec<&str> = decoded.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        let bad = *seg == "." || *seg == ".." || seg.contains(['\\', '\0']) || (seg.is_empty() && i != last);
        if bad {
            return None;
        }
    }
    Some(decoded.into_owned())
}

fn not_found(served: &Served) -> Reply {
    let body = served
        .files
        .get("404.html")
        .and_then(|c| read(c, served))
        .unwrap_or_else(|| b"<!doctype html><title>Not found</title><h1>Not found</h1>".to_vec());
    file_reply(404, "404.html", body, served)
}

/// Puts the reload script (and the error overlay, when the last run
/// failed) into HTML pages; `storypath build` output never has them.
fn file_reply(status: u16, file: &str, body: Vec<u8>, served: &Served) -> Reply {
    let content_type = content_type(file);
    if !content_type.starts_with("text/html") {
        return Reply::new(status, content_type, body);
    }
    let mut html = String::from_utf8_lossy(&body).into_owned();
    let last_good = !served.files.is_empty();
    let mut extra = served.errors.as_deref().map(|r| overlay(r, last_good)).unwrap_or_default();
    extra.push_str(&reload_script(served.version));
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, &extra),
        None => html.push_str(&extra),
    }
    Reply::new(status, content_type, html.into_bytes())
}

/// The bytes of an output file. Files on disk must still be inside the
/// site's folder once symbolic links are followed.
fn read(content: &Content, served: &Served) -> Option<Vec<u8>> {
    match content {
        Content::File(p) => {
            let real = p.canonicalize().ok()?;
            real.starts_with(&served.root).then(|| std::fs::read(&real).ok()).flatten()
        }
        other => other.bytes().ok().map(|b| b.into_owned()),
    }
}

pub fn content_type(file: &str) -> &'static str {
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "xml" if file == "feed.xml" => "application/atom+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Polls [`RELOAD_PATH`] and reloads the page when the site's version
/// changes. If the server goes away it retries each second.
fn reload_script(version: u64) -> String {
    format!(
        r#"<script data-storypath-reload="{version}">(function(){{var v="{version}";function poll(){{fetch("{RELOAD_PATH}?since="+v,{{cache:"no-store"}}).then(function(r){{return r.text()}}).then(function(t){{if(t.trim()!==v){{location.reload()}}else{{poll()}}}}).catch(function(){{setTimeout(poll,1000)}})}}poll()}})();</script>"#
    )
}

/// The errors of the last run over the page, escaped, in the plain text of
/// the terminal's report (file:line:column, message, hint). `last_good`
/// says whether a good build is underneath (not when the site has been
/// broken since the server started).
fn overlay(report: &str, last_good: bool) -> String {
    let heading = if last_good {
        "The last save has errors: the page below is the last good build"
    } else {
        "The site has errors: there is nothing to show until they are fixed"
    };
    format!(
        concat!(
            r#"<div id="storypath-errors" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;"#,
            r#"background:#18181b;color:#fafafa;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem">"#,
            r#"<button type="button" onclick="this.parentNode.remove()" style="float:right;font:inherit;padding:.25rem .75rem">Hide</button>"#,
            r#"<h2 style="margin:0 0 1rem;color:#fca5a5;font:bold 1.25rem system-ui,sans-serif">{}</h2>"#,
            r#"<pre style="white-space:pre-wrap;margin:0">{}</pre>"#,
            r#"<p style="font-family:system-ui,sans-serif">Fix the file and save: this page reloads by itself.</p></div>"#
        ),
        heading,
        escape_xml(report)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::Arc;

    fn served(base: &str) -> Served {
        let mut files = HashMap::new();
        let page = |s: &str| Content::Bytes(Arc::from(s.as_bytes()));
        files.insert("index.html".to_string(), page("<html><body>home</body></html>"));
        files.insert("stories/ana/index.html".to_string(), page("<html><body>ana</body></html>"));
        files.insert("404.html".to_string(), page("<html><body>missing</body></html>"));
        files.insert("css/style.css".to_string(), page("body{}"));
        Served { files: Arc::new(files), version: 3, errors: None, base_path: base.into(), root: std::env::temp_dir() }
    }

    fn get(url: &str, s: &Served) -> Reply {
        route(&Method::Get, url, s)
    }

    #[test]
    fn serves_pages_under_the_base_path() {
        let s = served("/careers/");
        let r = get("/careers/stories/ana/", &s);
        assert_eq!(r.status, 200);
        assert!(String::from_utf8_lossy(&r.body).contains("ana<script data-storypath-reload=\"3\""));
        assert_eq!(get("/careers/css/style.css", &s).content_type, "text/css; charset=utf-8");
        assert_eq!(get("/", &s).location.as_deref(), Some("/careers/"));
        assert_eq!(get("/careers", &s).location.as_deref(), Some("/careers/"));
        assert_eq!(get("/careers/stories/ana", &s).location.as_deref(), Some("/careers/stories/ana/"));
        assert_eq!(get("/stories/ana/", &s).status, 404);
    }

    #[test]
    fn traversal_and_odd_paths_are_not_found() {
        let s = served("/");
        for url in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/stories/../../x",
            "/./index.html",
            "/..%5c..%5cwindows",
            "//etc/passwd",
            "/%00",
            "/%ff%fe",
            "etc/passwd",
        ] {
            let r = get(url, &s);
            assert_eq!(r.status, 404, "{url}");
            assert!(String::from_utf8_lossy(&r.body).contains("missing"), "{url}");
        }
        assert_eq!(route(&Method::Post, "/", &s).status, 405);
    }

    #[test]
    fn errors_show_escaped_over_the_page() {
        let mut s = served("/");
        s.errors = Some("error: bad <script>alert(1)</script>\n --> content/stories/a.md:2:8".into());
        let body = String::from_utf8(get("/", &s).body).unwrap();
        assert!(body.contains("storypath-errors"));
        assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(body.contains("content/stories/a.md:2:8"));
        assert!(!body.contains("<script>alert"));
    }

    #[test]
    fn content_types() {
        for (f, t) in [
            ("a.svg", "image/svg+xml"),
            ("feed.xml", "application/atom+xml"),
            ("sitemap.xml", "application/xml"),
            ("a.json", "application/json"),
            ("a.png", "image/png"),
            ("a.JPG", "image/jpeg"),
            ("a.webp", "image/webp"),
            ("a.woff2", "font/woff2"),
            ("a.js", "text/javascript; charset=utf-8"),
        ] {
            assert_eq!(content_type(f), t, "{f}");
        }
    }
}
