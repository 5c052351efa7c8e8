//! A plain static file server for a build's output folder, as a host like
//! GitHub Pages or S3 would serve it: under a path prefix, `index.html` for
//! folders, `404.html` with status 404, text files gzip-compressed for a
//! browser that accepts it (as every host does: Lighthouse measures pages
//! the way candidates get them). For browser tests of what `build` writes
//! (not `serve`, which injects its reload script).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub struct StaticServer {
    /// `http://127.0.0.1:PORT/prefix/`
    pub url: String,
    addr: std::net::SocketAddr,
    stop: Arc<AtomicBool>,
}

impl StaticServer {
    /// Serves `dir` at `prefix` (`/careers/`) on a free loopback port.
    ///
    /// A thread per connection, one answer each, then the connection is
    /// closed: a browser's abandoned or slow connection (a lazy image it
    /// gave up on) can hold up nothing else. (tiny_http, used before, now
    /// and then left a request unanswered for good under Chromium, and a
    /// page then never finished loading.)
    pub fn start(dir: &Path, prefix: &str) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("an address");
        let stop = Arc::new(AtomicBool::new(false));
        let (root, prefix_owned, stopped) = (dir.to_path_buf(), prefix.to_string(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (root, prefix) = (root.clone(), prefix_owned.clone());
                std::thread::spawn(move || answer(conn, &root, &prefix));
            }
        });
        StaticServer { url: format!("http://127.0.0.1:{}{prefix}", addr.port()), addr, stop }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

/// Reads one request's head and answers it.
fn answer(mut conn: TcpStream, root: &Path, prefix: &str) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(20)));
    let _ = conn.set_write_timeout(Some(Duration::from_secs(20)));
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let (method, url) = (first.next().unwrap_or(""), first.next().unwrap_or("/"));
    let accept = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("accept-encoding"))
        .map_or("", |(_, v)| v.trim());
    let (status, file) = resolve(root, prefix, url);
    let (status, ctype, body) = match std::fs::read(&file) {
        Ok(bytes) => (status, content_type(&file), bytes),
        Err(_) => (404, "text/plain", Vec::new()),
    };
    let compress = accepts_gzip(accept) && compressible(ctype);
    let body = if compress { gzipped(&body) } else { body };
    let reason = if status == 200 { "OK" } else { "Not Found" };
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nVary: Accept-Encoding\r\nConnection: close\r\n",
        body.len()
    );
    if compress {
        out.push_str("Content-Encoding: gzip\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if method != "HEAD" {
        bytes.extend_from_slice(&body);
    }
    let _ = conn.write_all(&bytes);
    let _ = conn.shutdown(std::net::Shutdown::Write);
    // Drain what the browser still sends, so closing does not reset the
    // answer away before it is read.
    let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
    while matches!(conn.read(&mut buf), Ok(n) if n > 0) {}
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

/// Whether an `Accept-Encoding` value names gzip (with a non-zero q).
fn accepts_gzip(value: &str) -> bool {
    value.split(',').any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let q_zero = parts.any(|p| p.strip_prefix("q=").is_some_and(|q| q.parse::<f32>() == Ok(0.0)));
        name.eq_ignore_ascii_case("gzip") && !q_zero
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
