//! Answers one HTTP request from the site held in memory. Only files of the
//! built site can be served: a request path is decoded, checked segment by
//! segment (no `..`, no `.`, no backslash, no NUL) and looked up in the list
//! of output files, so no request can name a file on disk. Files copied from
//! `static/` or a theme folder are read at request time, and only when their
//! real path (after symbolic links) is inside the site's folder.

use super::request::Method;
use super::Served;
use crate::render::Content;
use crate::text::encode_path;
use crate::text::escape_xml;
use percent_encoding::percent_decode_str;
use std::fs::File;

/// The long-poll endpoint the injected script waits on for a reload.
pub const RELOAD_PATH: &str = "/__storypath/reload";

/// A static HTML file bigger than this is sent as it is, without the reload
/// script: the script is put in by reading the page whole, and that must
/// stay small.
const MAX_INJECTED: u64 = 16 * 1024 * 1024;

/// What to send back.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Body,
    /// Percent-encoded: never a control character, space or non-ASCII byte.
    pub location: Option<String>,
}

/// A body in memory, or a file streamed from disk in small pieces (a big
/// video in `static/` is never read whole, however many clients ask).
#[derive(Debug)]
pub enum Body {
    Bytes(Vec<u8>),
    File(File, u64),
}

impl Body {
    pub fn size(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::File(_, len) => *len,
        }
    }

    /// The bytes of an in-memory body (tests).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Body::Bytes(b) => b,
            Body::File(..) => &[],
        }
    }
}

impl Reply {
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Reply { status, content_type, body: Body::Bytes(body), location: None }
    }

    pub fn text(status: u16, text: &str) -> Self {
        Reply::new(status, "text/plain; charset=utf-8", text.as_bytes().to_vec())
    }

    /// A redirect to a decoded site path, encoded again for the header.
    fn redirect(status: u16, to: &str) -> Self {
        Reply { location: Some(encode_path(to)), ..Reply::text(status, "Moved\n") }
    }
}

/// The reload long-poll's `since=N`, 0 when missing.
pub fn since(target: &str) -> u64 {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    query.split('&').find_map(|kv| kv.strip_prefix("since=")?.parse().ok()).unwrap_or(0)
}

/// Whether the target is the reload long-poll.
pub fn is_reload(target: &str) -> bool {
    target.split('?').next() == Some(RELOAD_PATH)
}

/// The answer to a request for a page or file of the site.
pub fn route(method: Method, url: &str, served: &Served) -> Reply {
    if method == Method::Other {
        return Reply::text(405, "Method not allowed\n");
    }
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let Some(path) = clean_path(raw) else {
        return not_found(served);
    };
    // The base path is kept as the URL parser wrote it (`/my%20careers/`);
    // requests are compared decoded, as `clean_path` leaves them, so a
    // space or an accented letter in it matches however the browser spells it.
    let base = percent_decode_str(&served.base_path).decode_utf8_lossy();
    let Some(rel) = path.strip_prefix(&*base) else {
        if path == "/" || format!("{path}/") == base {
            return Reply::redirect(302, &base);
        }
        return not_found(served);
    };
    let file = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    match served.files.get(&file) {
        Some(content) => match read(content, served) {
            Some(body) => file_reply(200, &file, body, served),
            None => not_found(served),
        },
        None if served.files.contains_key(&format!("{file}/index.html")) => Reply::redirect(301, &format!("{path}/")),
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
    let page = served.files.get("404.html").and_then(|c| read(c, served));
    let body = match page {
        Some(Body::Bytes(b)) => b,
        _ => b"<!doctype html><title>Not found</title><h1>Not found</h1>".to_vec(),
    };
    file_reply(404, "404.html", Body::Bytes(body), served)
}

/// Puts the reload script (and the error overlay, when the last run
/// failed) into HTML pages; `storypath build` output never has them. Not
/// into the CMS (`admin/`, see `storypath::cms`): a save there changes the
/// site, and a reload would throw away what the writer is doing.
fn file_reply(status: u16, file: &str, body: Body, served: &Served) -> Reply {
    let content_type = content_type(file);
    let body = match body {
        Body::Bytes(b) if content_type.starts_with("text/html") && !file.starts_with(crate::cms::PUBLISHED) => b,
        other => return Reply { status, content_type, body: other, location: None },
    };
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

/// The body of an output file. Files on disk must still be regular files
/// inside the site's folder once symbolic links are followed; they are
/// opened, not read, except HTML pages small enough to get the script.
fn read(content: &Content, served: &Served) -> Option<Body> {
    match content {
        Content::File(p) => {
            let real = p.canonicalize().ok()?;
            if !real.starts_with(&served.root) {
                return None;
            }
            let file = File::open(&real).ok()?;
            let meta = file.metadata().ok().filter(|m| m.is_file())?;
            let html = content_type(&real.to_string_lossy()).starts_with("text/html");
            if html && meta.len() <= MAX_INJECTED {
                let mut bytes = Vec::with_capacity(meta.len() as usize);
                std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_INJECTED), &mut bytes).ok()?;
                return Some(Body::Bytes(bytes));
            }
            Some(Body::File(file, meta.len()))
        }
        other => other.bytes().ok().map(|b| Body::Bytes(b.into_owned())),
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
        "yml" | "yaml" => "text/yaml; charset=utf-8",
        "vtt" => "text/vtt; charset=utf-8",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// Polls [`RELOAD_PATH`] and reloads the page when the site's version
/// changes. If the server goes away, or answers anything but 200 (a 503
/// when too many pages are polling at once), it polls again a second later
/// rather than reloading.
fn reload_script(version: u64) -> String {
    format!(
        r#"<script data-storypath-reload="{version}">(function(){{var v="{version}";function poll(){{fetch("{RELOAD_PATH}?since="+v,{{cache:"no-store"}}).then(function(r){{if(!r.ok){{throw r}}return r.text()}}).then(function(t){{if(t.trim()!==v){{location.reload()}}else{{poll()}}}}).catch(function(){{setTimeout(poll,1000)}})}}poll()}})();</script>"#
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
        route(Method::Get, url, s)
    }

    #[test]
    fn serves_pages_under_the_base_path() {
        let s = served("/careers/");
        let r = get("/careers/stories/ana/", &s);
        assert_eq!(r.status, 200);
        assert!(String::from_utf8_lossy(r.body.bytes()).contains("ana<script data-storypath-reload=\"3\""));
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
            assert!(String::from_utf8_lossy(r.body.bytes()).contains("missing"), "{url}");
        }
        assert_eq!(route(Method::Other, "/", &s).status, 405);
    }

    #[test]
    fn redirects_encode_what_they_echo() {
        let mut s = served("/");
        let page = |t: &str| Content::Bytes(Arc::from(t.as_bytes()));
        let files = Arc::make_mut(&mut s.files);
        files.insert("a\r\nSet-Cookie: x=1/index.html".into(), page("<body>crlf</body>"));
        files.insert("caf\u{e9} 100%/index.html".into(), page("<body>cafe</body>"));
        let r = get("/a%0d%0aSet-Cookie:%20x=1", &s);
        assert_eq!((r.status, r.location.as_deref()), (301, Some("/a%0D%0ASet-Cookie:%20x=1/")));
        let r = get("/caf%C3%A9%20100%25", &s);
        assert_eq!(r.location.as_deref(), Some("/caf%C3%A9%20100%25/"));
        assert_eq!(get("/caf%C3%A9%20100%25/", &s).status, 200);
        assert_eq!(encode_path("/a\"b<c>#d?e`f{g}|\\^[]\u{7f}"), "/a%22b%3Cc%3E%23d%3Fe%60f%7Bg%7D%7C%5C%5E%5B%5D%7F");
    }

    #[test]
    fn a_base_path_with_a_space_and_an_accent_is_served() {
        // As the URL parser writes the base_url's path.
        let s = served("/carri%C3%A8res%20ouvertes/");
        assert_eq!(get("/carri%C3%A8res%20ouvertes/stories/ana/", &s).status, 200);
        assert_eq!(get("/carri%c3%a8res%20ouvertes/", &s).status, 200);
        assert_eq!(get("/", &s).location.as_deref(), Some("/carri%C3%A8res%20ouvertes/"));
        let r = get("/carri%C3%A8res%20ouvertes/stories/ana", &s);
        assert_eq!(r.location.as_deref(), Some("/carri%C3%A8res%20ouvertes/stories/ana/"));
        assert_eq!(get("/carri%C3%A8res%20ouvertes", &s).location.as_deref(), Some("/carri%C3%A8res%20ouvertes/"));
    }

    #[test]
    fn reload_query() {
        assert_eq!(since("/__storypath/reload?since=42"), 42);
        assert_eq!(since("/__storypath/reload?x=1&since=7"), 7);
        assert_eq!(since("/__storypath/reload?since=x"), 0);
        assert!(is_reload("/__storypath/reload?since=1") && !is_reload("/__storypath/reloadx"));
    }

    #[test]
    fn errors_show_escaped_over_the_page() {
        let mut s = served("/");
        s.errors = Some("error: bad <script>alert(1)</script>\n --> content/stories/a.md:2:8".into());
        let body = String::from_utf8(get("/", &s).body.bytes().to_vec()).unwrap();
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
