//! A plain static file server for a build's output folder, as a host like
//! GitHub Pages or S3 would serve it: under a path prefix, `index.html` for
//! folders, `404.html` with status 404, text files gzip-compressed for a
//! browser that accepts it (as every host does: Lighthouse measures pages
//! the way candidates get them). For browser tests of what `build` writes
//! (not `serve`, which injects its reload script).

use std::path::{Path, PathBuf};

pub struct StaticServer {
    /// `http://127.0.0.1:PORT/prefix/`
    pub url: String,
    server: std::sync::Arc<tiny_http::Server>,
}

impl StaticServer {
    /// Serves `dir` at `prefix` (`/careers/`) on a free loopback port.
    pub fn start(dir: &Path, prefix: &str) -> StaticServer {
        let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        // Several answering threads, and every connection closed after its
        // answer, as hosts do under load: one slow or abandoned connection of
        // a browser must not hold up every other request of the test.
        for _ in 0..4 {
            let (root, prefix_owned, s) = (dir.to_path_buf(), prefix.to_string(), server.clone());
            std::thread::spawn(move || {
                for req in s.incoming_requests() {
                    let (status, file) = resolve(&root, &prefix_owned, req.url());
                    let close = tiny_http::Header::from_bytes("Connection", "close").expect("header");
                    let gzip = accepts_gzip(&req);
                    let resp = match std::fs::read(&file) {
                        Ok(bytes) => {
                            let ctype = content_type(&file);
                            let compress = gzip && compressible(ctype);
                            let body = if compress { gzipped(&bytes) } else { bytes };
                            let header = |k: &str, v: &str| tiny_http::Header::from_bytes(k, v).expect("header");
                            let mut r = tiny_http::Response::from_data(body)
                                .with_status_code(status)
                                .with_header(header("Content-Type", ctype))
                                .with_header(header("Vary", "Accept-Encoding"));
                            if compress {
                                r = r.with_header(header("Content-Encoding", "gzip"));
                            }
                            r
                        }
                        Err(_) => tiny_http::Response::from_data(Vec::new()).with_status_code(404),
                    };
                    let _ = req.respond(resp.with_header(close));
                }
            });
        }
        StaticServer { url: format!("http://127.0.0.1:{port}{prefix}"), server }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// The file for a request path, and the status to send it with.
fn resolve(root: &Path, prefix: &str, url: &str) -> (u16, PathBuf) {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let not_found = (404, root.join("404.html"));
    let Some(rel) = path.strip_prefix(prefix) else { return not_found };
    if rel.split('/').any(|s| s == ".." || s == ".") {
        return not_found;
    }
    let mut file = root.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    if file.is_file() {
        (200, file)
    } else {
        not_found
    }
}

/// Whether the request's `Accept-Encoding` names gzip (with a non-zero q).
fn accepts_gzip(req: &tiny_http::Request) -> bool {
    req.headers().iter().filter(|h| h.field.equiv("Accept-Encoding")).any(|h| {
        h.value.as_str().split(',').any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let q_zero = parts.any(|p| p.strip_prefix("q=").is_some_and(|q| q.parse::<f32>() == Ok(0.0)));
            name.eq_ignore_ascii_case("gzip") && !q_zero
        })
    })
}

/// Text, which hosts compress; images and videos are compressed already.
fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || ["application/json", "application/xml", "image/svg+xml"].iter().any(|t| content_type.starts_with(t))
}

fn gzipped(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip in memory");
    e.finish().expect("gzip in memory")
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("vtt") => "text/vtt",
        Some("mp4") => "video/mp4",
        Some("webm") => "video/webm",
        _ => "application/octet-stream",
    }
}
