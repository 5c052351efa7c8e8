//! `storypath serve`: builds the site into memory with the pipeline's
//! [`Session`], serves it over HTTP, watches the site's folders and, after
//! each burst of saves, runs the pipeline again (re-rendering only what the
//! edit touched) and tells every open page to reload.
//!
//! Nothing is written to disk: the output folder is left alone. A run with
//! errors keeps the last good site served and shows the errors over every
//! page until a good save clears them.

pub mod http;
pub mod request;
pub mod server;
pub mod watch;

use crate::pipeline::{Options, Session};
use crate::render::Content;
use std::collections::{BTreeSet, HashMap};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The port `serve` tries when none is given, as Zola does.
pub const DEFAULT_PORT: u16 = 1111;

/// A burst of events ends after this long without another one: editors
/// write a temporary file, rename it and touch it within a few milliseconds.
const QUIET: Duration = Duration::from_millis(25);
/// A burst is cut after this long even if events keep coming.
const MAX_BURST: Duration = Duration::from_millis(600);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: std::net::IpAddr,
    /// `None`: 1111, or any free port if 1111 is taken. `Some(0)`: any free port.
    pub port: Option<u16>,
    pub drafts: bool,
    pub open: bool,
}

/// Why `serve` could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The address could not be bound (an explicit port that is taken).
    Bind(String),
    Other(String),
}

/// What the HTTP side serves: one consistent version of the site.
#[derive(Debug, Clone)]
pub struct Served {
    /// By path; only looked up, never listed.
    pub files: Arc<HashMap<String, Content>>,
    /// Goes up with every run of the pipeline; pages poll for a change of it.
    pub version: u64,
    /// The report of the last run, when it failed.
    pub errors: Option<String>,
    /// The base_url's path (`/careers/`): the site is served under it.
    pub base_path: String,
    /// The site's folder, after symbolic links: files outside it are not served.
    pub root: PathBuf,
}

/// The served site, shared by the HTTP threads and the rebuild loop.
pub struct Live {
    served: Mutex<Served>,
    changed: Condvar,
}

impl Live {
    fn lock(&self) -> std::sync::MutexGuard<'_, Served> {
        // A panicking request thread cannot leave `Served` half-updated
        // (it is replaced whole), so a poisoned lock is still usable.
        self.served.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn snapshot(&self) -> Served {
        self.lock().clone()
    }

    /// The version being served now.
    pub fn version(&self) -> u64 {
        self.lock().version
    }

    /// Replaces what is served and wakes every waiting reload poll.
    fn publish(&self, update: impl FnOnce(&mut Served)) -> u64 {
        let mut s = self.lock();
        update(&mut s);
        s.version += 1;
        self.changed.notify_all();
        s.version
    }

    /// Blocks until the version differs from `since` or `wait` has passed.
    pub fn wait_for_change(&self, since: u64, wait: Duration) -> u64 {
        let guard = self.lock();
        let (s, _) =
            self.changed.wait_timeout_while(guard, wait, |s| s.version == since).unwrap_or_else(|e| e.into_inner());
        s.version
    }
}

enum Msg {
    Changed(Vec<String>),
    Stop,
}

/// Runs the server until Ctrl-C.
pub fn serve(opts: ServeOptions) -> Result<(), ServeError> {
    serve_allowing(opts, &[])
}

/// [`serve`], also answering requests whose `Host` is one of `allow_hosts`
/// (`--allow-host`: a name the preview is opened by on the LAN).
pub fn serve_allowing(opts: ServeOptions, allow_hosts: &[String]) -> Result<(), ServeError> {
    let running = start_allowing(&opts, allow_hosts)?;
    let stop = running.stopper();
    ctrlc::set_handler(move || stop.stop())
        .map_err(|e| ServeError::Other(format!("cannot set the Ctrl-C handler: {e}")))?;
    crate::say!("Serving {} at {}", running.title, running.url);
    crate::say!(
        "Watching site.toml, content/, static/, templates/, themes/ and i18n/ for changes. Press Ctrl-C to stop."
    );
    flush_stdout();
    if opts.open {
        open_browser(&running.url);
    }
    running.run();
    crate::say!("Stopped.");
    flush_stdout();
    Ok(())
}

/// A server that has built the site and answers requests; [`Running::run`]
/// then watches for changes until stopped.
pub struct Running {
    /// Where the site is served, base path included.
    pub url: String,
    pub title: String,
    server: server::Server,
    live: Arc<Live>,
    session: Session,
    opts: Options,
    watch: watch::Watch,
    tx: mpsc::Sender<Msg>,
    rx: Receiver<Msg>,
}

/// Stops a [`Running`] server from another thread.
#[derive(Clone)]
pub struct Stopper(mpsc::Sender<Msg>);

impl Stopper {
    pub fn stop(&self) {
        let _ = self.0.send(Msg::Stop);
    }
}

/// Binds the address, builds the site and starts answering requests.
pub fn start(opts: &ServeOptions) -> Result<Running, ServeError> {
    start_allowing(opts, &[])
}

/// [`start`], also answering to the host names in `allow_hosts`.
pub fn start_allowing(opts: &ServeOptions, allow_hosts: &[String]) -> Result<Running, ServeError> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| ServeError::Other(format!("cannot open the site folder {}: {e}", opts.root.display())))?;
    let listener = bind(opts.interface, opts.port)?;
    let addr = listener.local_addr().map_err(|e| ServeError::Other(e.to_string()))?;

    // The site's own base_url only lends its path: links, canonical URLs and
    // feeds point at this server.
    let config = crate::load::config_only(&root);
    let base_path = config.base.path.clone();
    let url = format!("http://{}{base_path}", display_addr(addr));
    let pipeline_opts =
        Options { root: root.clone(), base_url: Some(url.clone()), drafts: opts.drafts, ..Default::default() };

    let live = Arc::new(Live {
        served: Mutex::new(Served {
            files: Arc::new(HashMap::new()),
            version: 0,
            errors: None,
            base_path,
            root: root.clone(),
        }),
        changed: Condvar::new(),
    });
    let mut session = Session::default();
    rebuild(&mut session, &pipeline_opts, &live, &BTreeSet::new(), false);

    let hosts = request::Hosts::new(addr, allow_hosts);
    let server = server::Server::start(listener, live.clone(), hosts, server::Limits::from_descriptor_limit())
        .map_err(|e| ServeError::Other(format!("cannot start the HTTP server: {e}")))?;

    let (tx, rx) = mpsc::channel();
    let watch = watch::Watch::start(&root, tx.clone(), Msg::Changed)
        .map_err(|e| ServeError::Other(format!("cannot watch {} for changes: {e}", root.display())))?;
    Ok(Running { url, title: config.title, server, live, session, opts: pipeline_opts, watch, tx, rx })
}

impl Running {
    pub fn stopper(&self) -> Stopper {
        Stopper(self.tx.clone())
    }

    /// Rebuilds after each burst of changes until stopped.
    pub fn run(mut self) {
        while let Some(touched) = next_burst(&self.rx) {
            self.watch.refresh(&touched);
            rebuild(&mut self.session, &self.opts, &self.live, &touched, true);
        }
        self.server.stop();
    }
}

/// Binds the address. With no port given, 1111 or else any free port; an
/// explicit port that is taken is an error.
fn bind(ip: std::net::IpAddr, port: Option<u16>) -> Result<TcpListener, ServeError> {
    let wanted = port.unwrap_or(DEFAULT_PORT);
    match TcpListener::bind(SocketAddr::new(ip, wanted)) {
        Ok(l) => Ok(l),
        Err(_) if port.is_none() => TcpListener::bind(SocketAddr::new(ip, 0))
            .map_err(|e| ServeError::Bind(format!("cannot listen on {ip}: {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            Err(ServeError::Bind(format!("port {wanted} on {ip} is already in use")))
        }
        Err(e) => Err(ServeError::Bind(format!("cannot listen on {ip} port {wanted}: {e}"))),
    }
}

/// The address to print: a browser cannot open `0.0.0.0`, so a server
/// listening on every interface is shown at loopback.
fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        ip if ip.is_unspecified() => format!("{}:{}", std::net::Ipv4Addr::LOCALHOST, addr.port()),
        _ => addr.to_string(),
    }
}

/// Waits for a change, then gathers the rest of its burst: one rebuild per
/// save, however many events the editor's save made. `None` on Ctrl-C.
fn next_burst(rx: &Receiver<Msg>) -> Option<BTreeSet<String>> {
    let mut touched = match rx.recv() {
        Ok(Msg::Changed(paths)) => paths.into_iter().collect::<BTreeSet<String>>(),
        Ok(Msg::Stop) | Err(_) => return None,
    };
    let start = Instant::now();
    while start.elapsed() < MAX_BURST {
        match rx.recv_timeout(QUIET) {
            Ok(Msg::Changed(paths)) => touched.extend(paths),
            Ok(Msg::Stop) => return None,
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    Some(touched)
}

/// Runs the pipeline and publishes the result, or the errors over the last
/// good site.
fn rebuild(session: &mut Session, opts: &Options, live: &Live, touched: &BTreeSet<String>, after_change: bool) {
    let start = Instant::now();
    match session.run(opts, touched) {
        Ok(r) => {
            let files: HashMap<String, Content> = r.outputs.into_iter().map(|o| (o.path, o.content)).collect();
            let version = live.publish(|s| {
                s.files = Arc::new(files);
                s.errors = None;
            });
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            if after_change {
                crate::tell!(
                    "Rebuilt after a change to {}: {} page{} rendered in {ms:.1} ms; reload sent (version {version})",
                    describe(touched),
                    r.rendered,
                    if r.rendered == 1 { "" } else { "s" }
                );
            } else {
                crate::tell!("Built {} stories, {} pages in {ms:.0} ms", r.stories, r.rendered);
            }
        }
        Err(f) => {
            let report = f.report();
            crate::term::write(crate::term::Stream::Err, format_args!("{report}"));
            crate::tell!(
                "note: still serving the last good build; the errors show over every page until they are fixed"
            );
            live.publish(|s| s.errors = Some(report));
        }
    }
}

fn describe(touched: &BTreeSet<String>) -> String {
    let mut names: Vec<&str> = touched.iter().map(String::as_str).take(3).collect();
    if touched.len() > 3 {
        names.push("...");
    }
    names.join(", ")
}

fn flush_stdout() {
    use std::io::Write;
    let _ = std::io::stdout().flush();
}

/// Opens the system's browser; a failure is only a warning.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = cmd.arg(url).spawn() {
        crate::tell!("warning: could not open a browser ({e}); open {url} yourself");
    }
}
