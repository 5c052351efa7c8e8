//! Runs `storypath serve` as a child process on a free port and talks to it
//! over plain HTTP/1.1 on a TcpStream (so request paths go out exactly as
//! written, `..` and all).

pub use super::http::{request, Response};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    /// `http://127.0.0.1:PORT/base/`
    pub url: String,
    /// `127.0.0.1:PORT`
    pub addr: String,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `storypath serve --root ROOT --port 0 EXTRA...` and waits for its URL.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_storypath"))
            .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start storypath serve");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        collect(child.stdout.take().unwrap(), stdout.clone());
        collect(child.stderr.take().unwrap(), stderr.clone());
        let start = Instant::now();
        let url = loop {
            let out = stdout.lock().unwrap().clone();
            if let Some(at) = out.find("http://") {
                break out[at..].split_whitespace().next().unwrap().to_string();
            }
            if start.elapsed() > Duration::from_secs(30) || child.try_wait().unwrap().is_some() {
                let _ = child.kill();
                panic!("serve did not start:\n{out}\n{}", stderr.lock().unwrap());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let addr = url["http://".len()..].split('/').next().unwrap().to_string();
        Server { child, url, addr, stdout, stderr }
    }

    /// The path part of the served base URL (`/careers/`).
    pub fn base(&self) -> String {
        self.url[self.url.find(&self.addr).unwrap() + self.addr.len()..].to_string()
    }

    pub fn get(&self, path: &str) -> Response {
        request(&self.addr, "GET", path, Duration::from_secs(10))
    }

    /// The version the served pages carry in their reload script.
    pub fn version(&self) -> u64 {
        let page = self.get(&self.base());
        let at = page.body.find("data-storypath-reload=\"").expect("reload script in served page") + 23;
        page.body[at..].split('"').next().unwrap().parse().unwrap()
    }

    /// Waits on the reload endpoint, as a page's script does.
    pub fn poll(&self, since: u64, wait: Duration) -> Response {
        request(&self.addr, "GET", &format!("/__storypath/reload?since={since}"), wait)
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Counts of "Rebuilt" lines printed so far.
    pub fn rebuilds(&self) -> usize {
        self.stderr().lines().filter(|l| l.starts_with("Rebuilt")).count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stream: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        let mut r = BufReader::new(stream);
        let mut line = String::new();
        while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            into.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
}
