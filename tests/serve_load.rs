//! `serve` under load and attack, on loopback only, every loop bounded in
//! time and count: many concurrent clients get every page without an error;
//! hostile and malformed requests get a 4xx or a closed connection, never a
//! file from outside the site; a story saved over and over while a page
//! polls is always served whole. `STORYPATH_LOAD_SECONDS` lengthens the
//! load run (docs/robustness.md records a 10-second one).

mod common;

use common::server::Server;
use common::{copy_site, repo};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// One load test at a time: each one measures the server alone, and three
/// at once on two cores would measure each other.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn demo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&repo(), tmp.path());
    tmp
}

/// Sends `raw` as is and returns the status code of the answer, or `None`
/// when the server closed the connection without one.
fn send_raw(addr: &str, raw: &[u8]) -> Option<u16> {
    let mut s = TcpStream::connect(addr).ok()?;
    // A server that says nothing for two seconds has dropped the request.
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(2))).unwrap();
    // The server may close before reading everything: that is a refusal.
    if s.write_all(raw).is_err() {
        return None;
    }
    let mut buf = Vec::new();
    let _ = s.take(1 << 16).read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    text.strip_prefix("HTTP/1.")?.get(2..5)?.parse().ok()
}

/// GETs on one connection at a time (a new one when the server closes it,
/// as it does after every answer); returns (status, latency) per request.
fn keep_alive_client(addr: &str, paths: &[String], until: Instant) -> Vec<(u16, Duration)> {
    let mut out = Vec::new();
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut k = 0;
    while Instant::now() < until {
        let path = &paths[k % paths.len()];
        k += 1;
        let start = Instant::now();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let (status, close) = read_response(&mut s);
        out.push((status, start.elapsed()));
        if status == 0 || close {
            s = TcpStream::connect(addr).expect("reconnect");
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        }
    }
    out
}

/// Reads one line ending in CRLF.
fn read_line(s: &mut TcpStream) -> Option<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !line.ends_with(b"\r\n") {
        match s.read(&mut byte) {
            Ok(1) => line.push(byte[0]),
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&line).trim_end().to_string())
}

/// Reads one whole response (a Content-Length or a chunked body): its
/// status (0 when the connection broke) and whether the server closes the
/// connection after it.
fn read_response(s: &mut TcpStream) -> (u16, bool) {
    let Some(status_line) = read_line(s) else { return (0, true) };
    let (mut len, mut chunked, mut close) = (0usize, false, false);
    loop {
        let Some(line) = read_line(s) else { return (0, true) };
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
        chunked |= lower.starts_with("transfer-encoding:") && lower.contains("chunked");
        close |= lower.starts_with("connection:") && lower.contains("close");
    }
    let mut skip = |n: usize| s.read_exact(&mut vec![0u8; n]).is_ok();
    if chunked {
        loop {
            let Some(size) = read_line(s).and_then(|l| usize::from_str_radix(l.trim(), 16).ok()) else {
                return (0, true);
            };
            if s.read_exact(&mut vec![0u8; size + 2]).is_err() {
                return (0, true);
            }
            if size == 0 {
                break;
            }
        }
    } else if !skip(len) {
        return (0, true);
    }
    (status_line.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0), close)
}

#[test]
fn two_hundred_concurrent_clients_get_every_page() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let site = demo();
    let server = Server::start(site.path(), &[]);
    let base = server.base();
    let paths: Vec<String> =
        ["", "stories/", "stories/ada-okafor/", "roles/", "roles/agent/", "map/", "map.svg", "feed.xml", "search.json"]
            .iter()
            .map(|p| format!("{base}{p}"))
            .collect();
    let seconds: u64 = std::env::var("STORYPATH_LOAD_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let until = Instant::now() + Duration::from_secs(seconds);
    let clients: Vec<_> = (0..200)
        .map(|_| {
            let (addr, paths) = (server.addr.clone(), paths.clone());
            std::thread::spawn(move || keep_alive_client(&addr, &paths, until))
        })
        .collect();
    let mut results: Vec<(u16, Duration)> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    let errors = results.iter().filter(|(s, _)| *s != 200).count();
    results.sort_by_key(|(_, d)| *d);
    let pct = |p: f64| results[((results.len() - 1) as f64 * p) as usize].1;
    eprintln!(
        "load: 200 clients, {seconds} s: {} requests ({:.0}/s), {errors} errors, p50 {:?}, p99 {:?}, max {:?}",
        results.len(),
        results.len() as f64 / seconds as f64,
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
    assert!(results.len() >= 200, "every client got answers");
    assert_eq!(errors, 0, "every request answered 200");
    // Still serving afterwards.
    assert_eq!(server.get(&base).status, 200);
}

#[test]
fn hostile_requests_get_a_4xx_or_nothing_and_the_server_keeps_serving() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let site = demo();
    std::fs::write(site.path().join("secret.txt"), "TOP SECRET").unwrap();
    let server = Server::start(site.path(), &[]);
    let addr = server.addr.clone();
    let mut requests: Vec<Vec<u8>> = Vec::new();
    // The server's own address as Host, so these reach the routing (any
    // other Host is refused with 403 before a path is looked at).
    let get = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").into_bytes();
    // Paths out of the site, in many spellings.
    let dots = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "..%00", "%c0%ae%c0%ae", "．．"];
    let slashes = ["/", "%2f", "%2F", "\\", "%5c", "%255c", "//"];
    for d in dots {
        for s in slashes {
            for target in ["secret.txt", "site.toml", "etc/passwd", "content/stories/ada-okafor.md"] {
                requests.push(get(&format!("/careers/{d}{s}{d}{s}{target}")));
                requests.push(get(&format!("/{d}{s}{target}")));
            }
        }
    }
    for target in ["/secret.txt", "/careers/secret.txt", "/careers/../secret.txt", "/careers/site.toml"] {
        requests.push(get(target));
    }
    // Overlong URLs, bad methods and request lines, header floods, junk.
    requests.push(get(&format!("/careers/{}", "a".repeat(100_000))));
    requests.push(get(&format!("/careers/{}", "../".repeat(10_000))));
    for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "OPTIONS", "FOO", "G\0ET"] {
        requests.push(format!("{method} /careers/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").into_bytes());
    }
    requests.push(b"GET http://evil.example/secret.txt HTTP/1.1\r\nHost: evil\r\n\r\n".to_vec());
    requests.push(format!("GET http://evil.example/secret.txt HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes());
    requests.push(b"GET /careers/ HTTP/1.1\r\nHost: rebind.evil.example\r\n\r\n".to_vec());
    requests.push(b"GARBAGE\r\n\r\n".to_vec());
    requests.push(b"GET /careers/\r\n\r\n".to_vec());
    requests.push(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec());
    let flood: String = (0..5_000).map(|i| format!("X-Flood-{i}: {}\r\n", "v".repeat(20))).collect();
    requests.push(format!("GET /careers/ HTTP/1.1\r\nHost: {addr}\r\n{flood}Connection: close\r\n\r\n").into_bytes());
    requests
        .push(format!("GET /careers/ HTTP/1.1\r\nHost: {addr}\r\nX-Big: {}\r\n\r\n", "b".repeat(1 << 20)).into_bytes());
    requests
        .push(format!("GET /careers/ HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 99999999999\r\n\r\nabc").into_bytes());
    while requests.len() < 1_000 {
        let n = requests.len();
        requests.push(get(&format!("/careers/{}{}", "%2e%2e/".repeat(n % 7 + 1), "site.toml")));
    }

    let mut answered = std::collections::BTreeMap::new();
    for raw in &requests {
        let status = send_raw(&addr, raw);
        if let Some(code) = status {
            assert!((400..500).contains(&code), "{code} for {:?}", String::from_utf8_lossy(&raw[..raw.len().min(120)]));
        }
        // The server is still up after each one.
        assert!(
            TcpStream::connect(&addr).is_ok(),
            "the server went down after {:?}\n{}",
            String::from_utf8_lossy(&raw[..raw.len().min(100)]),
            server.stderr()
        );
        *answered.entry(status).or_insert(0) += 1;
    }
    eprintln!("hostile: {} requests: {answered:?}", requests.len());

    // Slow clients: 50 connections that start a request and stall, held for
    // a second, then given up. They wait on the accept thread, not a worker,
    // so the request below is answered at once, while they still stall.
    let slow: Vec<TcpStream> = (0..50)
        .filter_map(|_| {
            let mut s = TcpStream::connect(&addr).ok()?;
            s.write_all(b"GET /careers/ HTTP/1.1\r\nHo").ok()?;
            Some(s)
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    let started = Instant::now();
    let r = server.get(&format!("{}stories/", server.base()));
    assert_eq!(r.status, 200, "served while the slow clients stall");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    drop(slow);

    // Still serving, and nothing outside the site was ever sent.
    let home = server.get(&server.base());
    assert_eq!(home.status, 200);
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}

#[test]
fn a_story_saved_a_hundred_times_is_always_served_whole() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let site = demo();
    let server = Server::start(site.path(), &[]);
    let page = format!("{}stories/ada-okafor/", server.base());
    let story = site.path().join("content/stories/ada-okafor.md");
    let original = std::fs::read_to_string(&story).unwrap();
    let addr = server.addr.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // A reader polling the page as fast as it can, as a reloading browser does.
    let reader = {
        let (stop, page) = (stop.clone(), page.clone());
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let r = common::http::request(&addr, "GET", &page, Duration::from_secs(10));
                assert_eq!(r.status, 200);
                assert!(r.body.trim_end().ends_with("</html>"), "a whole page");
                // The title and the body come from the same save.
                let title =
                    r.body.split("Statistics degree, edit ").nth(1).map(|t| t[..t.find(',').unwrap()].to_string());
                let body = r.body.split("Saved as edit ").nth(1).map(|t| t[..t.find('.').unwrap()].to_string());
                assert_eq!(title, body, "title and body of one save");
                seen.push(title);
            }
            seen
        })
    };
    let started = Instant::now();
    for n in 0..100 {
        let text = original.replacen("Statistics degree,", &format!("Statistics degree, edit {n},"), 1)
            + &format!("\nSaved as edit {n}.\n");
        let tmp = story.with_extension("md.tmp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &story).unwrap();
        std::thread::sleep(Duration::from_millis(100).saturating_sub(started.elapsed() / 1000));
    }
    // Wait for the last save to be served.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server.get(&page).body.contains("Saved as edit 99.") {
        assert!(Instant::now() < deadline, "the last save is served");
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let seen = reader.join().unwrap();
    let versions: std::collections::BTreeSet<_> = seen.iter().flatten().collect();
    eprintln!("100 saves in {:?}: {} reads, {} versions seen", started.elapsed(), seen.len(), versions.len());
    assert!(versions.len() > 5, "the reader saw the saves come in");
}
