//! `serve` left open under a descriptor limit: the real binary started with
//! `RLIMIT_NOFILE` at 1,024 (the common default), then 2,000 idle
//! connections and 2,000 reload long polls held open at once. Normal
//! requests must still be answered in under a second, and again after all
//! of them close, with the server's descriptors back where they started.
//! Loopback only, every wait bounded.

mod common;

use common::{copy_site, repo};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One soak at a time: each measures the server alone.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// `storypath serve` with its descriptor limit (soft and hard) set to `limit`.
struct Limited {
    child: Child,
    addr: String,
    base: String,
    stderr: Arc<Mutex<String>>,
}

impl Limited {
    fn start(root: &std::path::Path, limit: libc::rlim_t) -> Limited {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_storypath"));
        cmd.args(["serve", "--root", root.to_str().unwrap(), "--port", "0"]);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        // SAFETY: setrlimit is async-signal-safe; nothing else runs here.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit { rlim_cur: limit, rlim_max: limit };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn().expect("start storypath serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let err = (child.stderr.take().unwrap(), stderr.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(err.0).lines().map_while(Result::ok) {
                err.1.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).expect("serve prints its URL");
        let url = line[line.find("http://").unwrap_or_else(|| panic!("no URL in {line:?}"))..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        // Keep reading stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in out.lines() {});
        let addr = url["http://".len()..].split('/').next().unwrap().to_string();
        let base = url["http://".len() + addr.len()..].to_string();
        Limited { child, addr, base, stderr }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Limited {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Descriptors open in process `pid`.
fn descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map(|d| d.count()).unwrap_or(0)
}

/// Raises this test process's own descriptor limit to its hard limit: it
/// holds over 4,000 sockets at once.
fn raise_own_limit(need: libc::rlim_t) {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) };
    lim.rlim_cur = lim.rlim_max;
    unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) };
    assert!(lim.rlim_cur >= need, "this test needs {need} descriptors; the hard limit is {}", lim.rlim_cur);
}

/// One GET with `Connection: close`: (status, time to the whole answer).
fn timed_get(addr: &str, path: &str) -> (u16, Duration) {
    let start = Instant::now();
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let status = String::from_utf8_lossy(&raw).get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, start.elapsed())
}

/// Normal requests, each answered 200 in under a second.
fn pages_answer_quickly(server: &Limited, when: &str) {
    for page in ["", "stories/", "stories/ada-okafor/", "roles/", "map.svg", "img/logo.svg"] {
        let path = format!("{}{page}", server.base);
        let (status, took) = timed_get(&server.addr, &path);
        assert_eq!(status, 200, "{when}: {path}\n{}", server.stderr.lock().unwrap());
        assert!(took < Duration::from_secs(1), "{when}: {path} took {took:?}");
        eprintln!("{when}: {path} 200 in {took:?}");
    }
}

/// The current version, as a page's reload script knows it.
fn version(server: &Limited) -> u64 {
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET /__storypath/reload?since=0 HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    raw.rsplit("\r\n\r\n").next().unwrap().trim().parse().unwrap()
}

#[test]
fn two_thousand_idle_connections_and_long_polls_under_1024_descriptors() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    raise_own_limit(4_500);
    let site = tempfile::tempdir().unwrap();
    copy_site(&repo(), site.path());
    let server = Limited::start(site.path(), 1024);
    let pid = server.pid();
    pages_answer_quickly(&server, "at start");
    let before = descriptors(pid);
    let since = version(&server);

    let started = Instant::now();
    let idle: Vec<TcpStream> = (0..2_000)
        .map(|i| TcpStream::connect(&server.addr).unwrap_or_else(|e| panic!("idle connection {i}: {e}")))
        .collect();
    eprintln!("2,000 idle connections opened in {:?}", started.elapsed());
    let polls: Vec<TcpStream> = (0..2_000)
        .map(|i| {
            let mut s = TcpStream::connect(&server.addr).unwrap_or_else(|e| panic!("long poll {i}: {e}"));
            write!(s, "GET /__storypath/reload?since={since} HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
            s
        })
        .collect();
    eprintln!("4,000 connections opened in {:?}", started.elapsed());
    std::thread::sleep(Duration::from_millis(500));
    let held = descriptors(pid);
    eprintln!("server descriptors: {before} at rest, {held} with 4,000 connections open");
    assert!(held <= 1024, "{held}");
    pages_answer_quickly(&server, "under 4,000 connections");

    // Polls beyond the server's share were answered 503 at once; the
    // others are still waiting (nothing changed).
    let mut refused = 0;
    for mut s in polls.iter().take(2_000) {
        s.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 12];
        if s.read(&mut buf).is_ok_and(|n| n >= 12) && &buf[9..12] == b"503" {
            refused += 1;
        }
    }
    eprintln!("long polls refused with 503: {refused} of 2,000");
    assert!(refused > 0 && refused < 2_000, "some polls parked, the excess refused: {refused}");

    drop(idle);
    drop(polls);
    // Parked polls whose page went away give their descriptor back within
    // a second; silent connections at once.
    let deadline = Instant::now() + Duration::from_secs(5);
    while descriptors(pid) > before + 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let after = descriptors(pid);
    eprintln!("server descriptors after they all closed: {after}");
    assert!(after <= before + 2, "descriptors {before} before, {after} after");
    pages_answer_quickly(&server, "after they all closed");
    assert_ne!(version(&server), u64::MAX);
    let err = server.stderr.lock().unwrap().clone();
    assert!(!err.contains("panicked"), "{err}");
}

/// Far below what the server would need, accept fails for want of
/// descriptors (EMFILE) again and again: the server closes silent
/// connections to make room or backs off, and keeps answering.
#[test]
fn out_of_descriptors_the_server_recovers_by_itself() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    raise_own_limit(1_000);
    let site = tempfile::tempdir().unwrap();
    copy_site(&repo(), site.path());
    let server = Limited::start(site.path(), 48);
    pages_answer_quickly(&server, "at start, 48 descriptors");
    for round in 0..3 {
        let idle: Vec<TcpStream> = (0..300).filter_map(|_| TcpStream::connect(&server.addr).ok()).collect();
        std::thread::sleep(Duration::from_millis(200));
        let (status, took) = timed_get(&server.addr, &server.base);
        assert_eq!(status, 200, "round {round}: {}", server.stderr.lock().unwrap());
        assert!(took < Duration::from_secs(1), "round {round}: {took:?}");
        drop(idle);
    }
    pages_answer_quickly(&server, "after, 48 descriptors");
}
