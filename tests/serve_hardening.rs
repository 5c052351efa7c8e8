//! `serve` against what a hostile page, a careless site or a misbehaving
//! client can do, on the real binary over loopback: another site's page
//! reading the preview through DNS rebinding, header injection through a
//! redirect, a base path with a space and an accent, forged request bodies,
//! and a slow reader of a big static file.

mod common;

use common::server::Server;
use common::{copy_site, repo};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn demo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&repo(), tmp.path());
    tmp
}

/// Sends `raw` and returns the whole answer (empty when the connection was
/// closed without one).
fn exchange(addr: &str, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = s.write_all(raw);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

fn status(answer: &str) -> u16 {
    answer.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0)
}

fn with_host(addr: &str, path: &str, host: &str) -> String {
    exchange(addr, format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes())
}

fn proc_status(pid: u32, key: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = text.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("{key} in /proc/{pid}/status"));
    line[key.len()..].split_whitespace().next().unwrap().parse().unwrap()
}

fn descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count()
}

#[test]
fn a_rebinding_host_is_refused_and_local_names_work() {
    let site = demo();
    let server = Server::start(site.path(), &["--allow-host", "preview.lan"]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    let base = server.base();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("LocalHost:{port}"),
        format!("preview.lan:{port}"),
    ] {
        assert_eq!(status(&with_host(&server.addr, &base, &host)), 200, "{host}");
    }
    // A page of evil.example whose name now points at 127.0.0.1 asks with
    // its own name: neither pages (drafts included) nor reload versions.
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "localhost:1".to_string(),
        "localhost".to_string(),
    ] {
        for path in [base.clone(), format!("{base}stories/ada-okafor/"), "/__storypath/reload?since=0".into()] {
            let answer = with_host(&server.addr, &path, &host);
            assert_eq!(status(&answer), 403, "{host} {path}: {answer}");
            assert!(!answer.contains("Ada Okafor"), "{host} {path}");
        }
    }
    let answer = exchange(&server.addr, b"GET /careers/ HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status(&answer), 400, "HTTP/1.1 without a Host");
    let abs = format!("GET http://evil.example:{port}/careers/ HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr);
    assert_eq!(status(&exchange(&server.addr, abs.as_bytes())), 403, "an absolute target names its host");
}

#[test]
fn redirects_do_not_echo_cr_lf_into_headers() {
    let site = demo();
    // A folder whose name holds CR LF and a header: `/careers/<name>` is
    // redirected to `/careers/<name>/`.
    let name = "x\r\nSet-Cookie: stolen=1\r\nX-Injected: yes";
    let dir = site.path().join("static").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<html><body>odd</body></html>").unwrap();
    let server = Server::start(site.path(), &[]);
    let path = "/careers/x%0d%0aSet-Cookie:%20stolen=1%0d%0aX-Injected:%20yes";
    let answer = with_host(&server.addr, path, &server.addr);
    let head = answer.split("\r\n\r\n").next().unwrap();
    assert!(!head.to_ascii_lowercase().contains("\r\nset-cookie"), "{head}");
    assert!(!head.to_ascii_lowercase().contains("\r\nx-injected"), "{head}");
    if status(&answer) == 301 {
        assert!(head.contains("Location: /careers/x%0D%0ASet-Cookie:%20stolen=1%0D%0AX-Injected:%20yes/"), "{head}");
    } else {
        // The site may refuse such a name; then it is simply not there.
        assert_eq!(status(&answer), 404, "{head}");
    }
    // Bare CR or LF, raw in the request, never reach routing.
    let raw = format!("GET /careers/x\rSet-Cookie: a=1 HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr);
    assert_eq!(status(&exchange(&server.addr, raw.as_bytes())), 400);
}

#[test]
fn a_base_path_with_a_space_and_an_accent_serves_pages() {
    let site = demo();
    let toml = site.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let line = text.lines().find(|l| l.starts_with("base_url")).unwrap().to_string();
    let new = "base_url = \"https://example.org/carrières ouvertes/\"";
    std::fs::write(&toml, text.replace(&line, new)).unwrap();
    let server = Server::start(site.path(), &[]);
    let base = server.base();
    assert_eq!(base, "/carri%C3%A8res%20ouvertes/");
    let home = server.get(&base);
    assert_eq!(home.status, 200, "{}", home.body);
    assert_eq!(server.get("/").header("Location"), Some(base.as_str()));
    assert_eq!(server.get("/carri%C3%A8res%20ouvertes").header("Location"), Some(base.as_str()));
    // Links in the page (relative, and the canonical URL), as a browser
    // follows them.
    let links: Vec<String> = home
        .body
        .split("href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .filter_map(|l| match l.strip_prefix("./") {
            Some(rel) => Some(format!("{base}{rel}")),
            None => l.strip_prefix(&server.url).map(|rel| format!("{base}{rel}")),
        })
        .collect();
    assert!(links.len() > 5, "{links:?}");
    for link in links.iter().take(20) {
        assert_eq!(server.get(link).status, 200, "{link}");
    }
    // Spelled in lower-case hex, or raw UTF-8 as some tools send it.
    assert_eq!(server.get("/carri%c3%a8res%20ouvertes/stories/ada-okafor/").status, 200);
    assert_eq!(server.get("/carrières%20ouvertes/stories/").status, 200);
    let redirect = server.get(&format!("{base}stories"));
    assert_eq!(redirect.header("Location"), Some(format!("{base}stories/").as_str()));
}

#[test]
fn forged_bodies_leak_no_descriptor_or_thread() {
    let site = demo();
    let server = Server::start(site.path(), &[]);
    let pid = server.child.id();
    assert_eq!(server.get(&server.base()).status, 200);
    let (fds, threads) = (descriptors(pid), proc_status(pid, "Threads:"));
    // The clients keep their side open: the server must close its own.
    let mut held = Vec::new();
    for n in 0..200 {
        let length = ["99999999999", "1048576", "10", "18446744073709551615"][n % 4];
        let raw = format!(
            "GET /careers/ HTTP/1.1\r\nHost: {}\r\nContent-Length: {length}\r\n\r\nsome of the body",
            server.addr
        );
        let mut s = TcpStream::connect(&server.addr).unwrap();
        s.write_all(raw.as_bytes()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 12];
        let got = s.read(&mut buf).unwrap_or(0);
        assert!(got == 0 || &buf[9..12] == b"400", "{}", String::from_utf8_lossy(&buf));
        held.push(s);
    }
    let deadline = Instant::now() + Duration::from_secs(3);
    while descriptors(pid) > fds && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let (fds_after, threads_after) = (descriptors(pid), proc_status(pid, "Threads:"));
    eprintln!("descriptors {fds} -> {fds_after}, threads {threads} -> {threads_after}, 200 forged bodies held open");
    assert!(fds_after <= fds, "descriptors {fds} -> {fds_after}");
    assert_eq!(threads_after, threads);
    assert_eq!(server.get(&server.base()).status, 200);
    drop(held);
}

#[test]
fn a_slow_reader_of_a_big_file_does_not_grow_the_server_by_its_size() {
    let site = demo();
    const SIZE: usize = 96 * 1024 * 1024;
    let big: Vec<u8> = (0..SIZE).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(site.path().join("static/big.bin"), &big).unwrap();
    drop(big);
    let server = Server::start(site.path(), &[]);
    let pid = server.child.id();
    let path = format!("{}big.bin", server.base());
    assert_eq!(server.get(&server.base()).status, 200);
    let rss = proc_status(pid, "VmRSS:");
    // Four readers ask for it and read almost nothing for two seconds.
    let mut readers: Vec<(TcpStream, usize)> = (0..4)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            write!(s, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", server.addr).unwrap();
            let mut first = [0u8; 4096];
            s.read_exact(&mut first).unwrap();
            let text = String::from_utf8_lossy(&first);
            assert!(text.contains(&format!("Content-Length: {SIZE}")), "{text}");
            (s, 4096 - (text.find("\r\n\r\n").unwrap() + 4))
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));
    let rss_slow = proc_status(pid, "VmRSS:");
    eprintln!("VmRSS {rss} kB at rest, {rss_slow} kB with four stalled readers of a {} MiB file", SIZE >> 20);
    assert!(rss_slow < rss + (SIZE as u64 / 1024) / 4, "{rss} kB -> {rss_slow} kB");
    // Pages are still served meanwhile, and one reader gets the file whole.
    assert_eq!(server.get(&server.base()).status, 200);
    let (reader, got) = &mut readers[0];
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).unwrap();
    assert_eq!(*got + rest.len(), SIZE);
    readers.clear();
}
