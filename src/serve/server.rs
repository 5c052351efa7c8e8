//! The preview's HTTP/1.1 server: GET and HEAD, one request per connection,
//! built so it can be left open for days next to an editor and a dozen tabs.
//!
//! - **One thread waits on every connection that has not sent its request
//!   yet** (readiness, through mio), so an idle connection costs a
//!   descriptor, not a thread, and is closed after [`HEAD_TIMEOUT`].
//! - **A fixed pool of [`WORKERS`] threads** answers requests whose head has
//!   arrived whole; nothing after the head is read (no body is accepted).
//! - **Reload long-polls are parked, not waited on by a thread**: one
//!   thread answers them all when the site changes or after [`POLL_WAIT`].
//! - **Bounded by the descriptor limit**: at most [`Limits::open`]
//!   connections are held (a share of `RLIMIT_NOFILE`), long polls at most
//!   half of them. A new connection beyond that closes the oldest one that
//!   is still silent; if every one is busy, it gets a 503. Long polls beyond
//!   their share get a 503, which the reload script waits out.
//! - **The accept loop never ends on an error**: when the process is out of
//!   descriptors (EMFILE) it closes the oldest silent connection and tries
//!   again, or backs off (10 ms, doubling to 1 s) and retries.
//! - Every answer says `Connection: close` and the connection is closed
//!   after it, so a client never holds a worker between requests.

use super::http::{self, Body, Reply};
use super::request::{self, Head, Hosts, Method, Refused};
use super::Live;
use mio::net::{TcpListener as MioListener, TcpStream as MioStream};
use mio::{Events, Interest, Poll, Token, Waker};
use std::collections::{HashMap, VecDeque};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Threads answering requests. Pages come from memory, so a few threads
/// keep two cores busy; the rest cover clients that read slowly.
pub const WORKERS: usize = 16;
/// How long a connection may take to send its whole request head, from
/// the moment it is accepted (a browser sends it at once; a preconnected
/// socket it does not use is closed after this).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write may wait for a client that stopped reading.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a reload poll waits before answering "nothing new".
pub const POLL_WAIT: Duration = Duration::from_secs(25);
/// Descriptors kept back from connections for everything else the process
/// opens: standard streams, the listener, the watcher, files being sent.
const RESERVED_DESCRIPTORS: usize = 128;
/// Files bigger than this are "large": at most half the workers send large
/// files at once, so slow downloads cannot take every worker from pages.
const LARGE_FILE: u64 = 1024 * 1024;

const LISTENER: Token = Token(0);
const WAKER: Token = Token(1);

/// How many connections the server holds at once.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once, whatever their state.
    pub open: usize,
    /// Reload polls parked at once.
    pub polls: usize,
}

impl Limits {
    /// From the process's descriptor limit: all but [`RESERVED_DESCRIPTORS`]
    /// of it (at least 32, at most 16,384), half of that for long polls.
    pub fn from_descriptor_limit() -> Limits {
        let open = descriptor_limit().saturating_sub(RESERVED_DESCRIPTORS).clamp(32, 16_384);
        Limits { open, polls: open / 2 }
    }
}

#[cfg(unix)]
fn descriptor_limit() -> usize {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes into the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
        usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX)
    } else {
        1024
    }
}

#[cfg(not(unix))]
fn descriptor_limit() -> usize {
    // Windows has no per-process socket limit of this kind.
    4096
}

/// Counts a connection as open until it is dropped, wherever it is then
/// (waiting for its head, queued, with a worker, parked).
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn new(open: &Arc<AtomicUsize>) -> Slot {
        open.fetch_add(1, Ordering::AcqRel);
        Slot(open.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A connection whose request head has arrived (or is over the limits).
struct Job {
    stream: TcpStream,
    head: Vec<u8>,
    _slot: Slot,
}

/// What every thread of the server shares.
struct Shared {
    live: Arc<Live>,
    hosts: Hosts,
    limits: Limits,
    open: Arc<AtomicUsize>,
    parked: Mutex<Vec<Parked>>,
    large_files: AtomicUsize,
    stop: AtomicBool,
}

/// The running server; [`Server::stop`] (or dropping it) ends its threads.
pub struct Server {
    shared: Arc<Shared>,
    waker: Arc<Waker>,
}

impl Server {
    /// Serves `live` on `listener` until stopped.
    pub fn start(listener: TcpListener, live: Arc<Live>, hosts: Hosts, limits: Limits) -> io::Result<Server> {
        listener.set_nonblocking(true)?;
        deepen_backlog(&listener);
        let poll = Poll::new()?;
        let mut listener = MioListener::from_std(listener);
        poll.registry().register(&mut listener, LISTENER, Interest::READABLE)?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
        let shared = Arc::new(Shared {
            live,
            hosts,
            limits,
            open: Arc::new(AtomicUsize::new(0)),
            parked: Mutex::new(Vec::new()),
            large_files: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..WORKERS {
            let (rx, shared) = (rx.clone(), shared.clone());
            spawn(&format!("serve-worker-{i}"), move || worker(&rx, &shared))?;
        }
        {
            let shared = shared.clone();
            spawn("serve-polls", move || answer_polls(&shared))?;
        }
        let front = Front {
            poll,
            listener,
            shared: shared.clone(),
            tx,
            waiting: HashMap::new(),
            order: VecDeque::new(),
            next_token: 2,
            retry_accept: None,
            backoff: MIN_BACKOFF,
        };
        spawn("serve-accept", move || front.run())?;
        Ok(Server { shared, waker })
    }

    /// Closes the listener and every connection; threads end shortly after.
    pub fn stop(&self) {
        self.shared.stop.store(true, Ordering::Release);
        let _ = self.waker.wake();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Connections the kernel completes and holds while the accept thread is
/// not running (std listens with 128). A burst beyond the backlog has its
/// SYNs dropped, and a browser retries only after a second.
const LISTEN_BACKLOG: i32 = 1024;

/// Listens again with [`LISTEN_BACKLOG`]: on a listening socket, `listen`
/// only changes the backlog (capped by the system's `somaxconn`).
#[cfg(unix)]
fn deepen_backlog(listener: &TcpListener) {
    use std::os::fd::AsRawFd;
    // SAFETY: a plain system call on a descriptor the listener owns; on
    // failure the old backlog stays.
    unsafe { libc::listen(listener.as_raw_fd(), LISTEN_BACKLOG) };
}

#[cfg(not(unix))]
fn deepen_backlog(_: &TcpListener) {}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> io::Result<()> {
    std::thread::Builder::new().name(name.into()).spawn(f).map(drop)
}

const MIN_BACKOFF: Duration = Duration::from_millis(10);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// A connection that has not sent its whole head yet.
struct Waiting {
    stream: MioStream,
    buf: Vec<u8>,
    slot: Slot,
}

/// The accept loop, and the wait for request heads.
struct Front {
    poll: Poll,
    listener: MioListener,
    shared: Arc<Shared>,
    tx: Sender<Job>,
    waiting: HashMap<Token, Waiting>,
    /// Tokens in the order accepted, with when; a token no longer waiting
    /// is skipped when met. Oldest first: the first to time out, and the
    /// first closed to make room.
    order: VecDeque<(Instant, Token)>,
    next_token: usize,
    /// When accepting failed for want of descriptors: when to try again.
    retry_accept: Option<Instant>,
    backoff: Duration,
}

impl Front {
    fn run(mut self) {
        let mut events = Events::with_capacity(1024);
        while !self.shared.stop.load(Ordering::Acquire) {
            let now = Instant::now();
            let mut wake = now + MAX_BACKOFF;
            if let Some(&(at, _)) = self.order.front() {
                wake = wake.min(at + HEAD_TIMEOUT);
            }
            if let Some(at) = self.retry_accept {
                wake = wake.min(at);
            }
            if let Err(e) = self.poll.poll(&mut events, Some(wake.saturating_duration_since(now))) {
                if e.kind() != io::ErrorKind::Interrupted {
                    // Nothing else is known to fail here; do not spin.
                    std::thread::sleep(MIN_BACKOFF);
                }
                continue;
            }
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept_all(),
                    WAKER => {}
                    token => self.read(token),
                }
            }
            if self.retry_accept.is_some_and(|at| at <= Instant::now()) {
                self.accept_all();
            }
            self.expire(Instant::now());
        }
    }

    /// Accepts until the queue is empty (mio reports readiness once per
    /// change, so a connection left in the queue would wait for the next).
    fn accept_all(&mut self) {
        self.retry_accept = None;
        let mut errors = 0;
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    errors = 0;
                    self.backoff = MIN_BACKOFF;
                    self.admit(stream);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                // The client gave up before it was accepted; next.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::Interrupted | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
                    ) => {}
                // Out of descriptors (EMFILE, ENFILE) or of memory for a
                // socket (ENOBUFS, ENOMEM): make room by closing the oldest
                // silent connection, or wait and try again.
                Err(_) => {
                    errors += 1;
                    if errors < 64 && self.close_oldest() {
                        continue;
                    }
                    self.retry_accept = Some(Instant::now() + self.backoff);
                    self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
                    return;
                }
            }
        }
    }

    /// Takes a new connection in, making room for it first if need be.
    fn admit(&mut self, mut stream: MioStream) {
        let slot = Slot::new(&self.shared.open);
        if self.shared.open.load(Ordering::Acquire) > self.shared.limits.open && !self.close_oldest() {
            // Every connection is being answered: this one must wait its turn.
            busy(&mut stream, "The preview server is busy; try again.\n");
            return;
        }
        let token = Token(self.next_token);
        self.next_token += 1;
        if self.poll.registry().register(&mut stream, token, Interest::READABLE).is_err() {
            return;
        }
        self.waiting.insert(token, Waiting { stream, buf: Vec::new(), slot });
        self.order.push_back((Instant::now(), token));
    }

    /// Closes the connection that has waited longest without sending its
    /// request; false when none is waiting.
    fn close_oldest(&mut self) -> bool {
        while let Some((_, token)) = self.order.pop_front() {
            if self.drop_waiting(token) {
                return true;
            }
        }
        false
    }

    fn drop_waiting(&mut self, token: Token) -> bool {
        match self.waiting.remove(&token) {
            Some(mut w) => {
                let _ = self.poll.registry().deregister(&mut w.stream);
                true
            }
            None => false,
        }
    }

    /// Reads what has arrived; hands the connection to a worker once its
    /// head is whole or too big.
    fn read(&mut self, token: Token) {
        let Some(w) = self.waiting.get_mut(&token) else { return };
        let mut chunk = [0u8; 4096];
        let outcome = loop {
            match w.stream.read(&mut chunk) {
                Ok(0) => break Err(()),
                Ok(n) => {
                    let room = request::MAX_HEAD - w.buf.len();
                    w.buf.extend_from_slice(&chunk[..n.min(room)]);
                    if request::ready(&w.buf) {
                        break Ok(true);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break Ok(false),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break Err(()),
            }
        };
        match outcome {
            Ok(false) => {}
            Err(()) => {
                self.drop_waiting(token);
            }
            Ok(true) => {
                let Some(mut w) = self.waiting.remove(&token) else { return };
                let _ = self.poll.registry().deregister(&mut w.stream);
                let stream = TcpStream::from(w.stream);
                // Workers only end when the server stops.
                let _ = self.tx.send(Job { stream, head: w.buf, _slot: w.slot });
            }
        }
    }

    /// Closes connections that have not sent their head in time.
    fn expire(&mut self, now: Instant) {
        while let Some(&(at, token)) = self.order.front() {
            if !self.waiting.contains_key(&token) {
                self.order.pop_front();
            } else if at + HEAD_TIMEOUT <= now {
                self.order.pop_front();
                self.drop_waiting(token);
            } else {
                break;
            }
        }
    }
}

/// A 503 written at once on a connection that will not be served.
fn busy(stream: &mut impl Write, text: &str) {
    let reply = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
         Retry-After: 1\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

/// A worker: answers connections whose head has arrived, one at a time. A
/// panic while answering loses that answer, not the worker.
fn worker(rx: &Mutex<Receiver<Job>>, shared: &Shared) {
    loop {
        let job = match rx.lock().unwrap_or_else(|e| e.into_inner()).recv() {
            Ok(job) => job,
            Err(_) => return,
        };
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(job, shared)));
    }
}

fn answer(job: Job, shared: &Shared) {
    let Job { mut stream, head, _slot: slot } = job;
    if stream.set_nonblocking(false).is_err() || stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    // The head and the body go out as written, not held for the client's
    // acknowledgement of the head (Nagle's algorithm with delayed ACKs).
    let _ = stream.set_nodelay(true);
    let head = match request::parse(&head, &shared.hosts) {
        Ok(head) => head,
        Err(Refused(status)) => return send(&mut stream, refusal(status), false),
    };
    let Head { method, target } = head;
    let head_only = method == Method::Head;
    if http::is_reload(&target) {
        if method == Method::Other {
            return send(&mut stream, Reply::text(405, "Method not allowed\n"), false);
        }
        return park(stream, http::since(&target), head_only, slot, shared);
    }
    let served = shared.live.snapshot();
    let reply = http::route(method, &target, &served);
    drop(served);
    let large = matches!(reply.body, Body::File(_, len) if len > LARGE_FILE);
    if large {
        if shared.large_files.fetch_add(1, Ordering::AcqRel) >= WORKERS / 2 {
            shared.large_files.fetch_sub(1, Ordering::AcqRel);
            return busy(&mut stream, "Too many large files are being sent; try again.\n");
        }
        send(&mut stream, reply, head_only);
        shared.large_files.fetch_sub(1, Ordering::AcqRel);
    } else {
        send(&mut stream, reply, head_only);
    }
}

fn refusal(status: u16) -> Reply {
    let text = match status {
        400 => "Bad request\n",
        403 => {
            "This preview answers only at localhost, 127.0.0.1, [::1] or the address it listens on \
                (with its port). To open it under another name, start it with --allow-host NAME.\n"
        }
        414 => "URI too long\n",
        431 => "Request header fields too large\n",
        505 => "HTTP version not supported\n",
        _ => "Refused\n",
    };
    Reply::text(status, text)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Writes the reply and closes the connection. A client gone away or too
/// slow ([`WRITE_TIMEOUT`] for one write) just ends the answer.
fn send(stream: &mut TcpStream, reply: Reply, head_only: bool) {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.size()
    );
    if let Some(to) = &reply.location {
        // Encoded by `http::encode_path`; checked again, as a header must be.
        debug_assert!(to.bytes().all(|b| b.is_ascii_graphic()));
        if to.bytes().all(|b| b.is_ascii_graphic()) {
            head.push_str(&format!("Location: {to}\r\n"));
        }
    }
    if reply.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str("\r\n");
    let sent = stream.write_all(head.as_bytes()).and_then(|()| match reply.body {
        _ if head_only => Ok(()),
        Body::Bytes(b) => stream.write_all(&b),
        // Copied a piece at a time (on Linux, by the kernel: sendfile), so a
        // client reading slowly holds a worker, never the file in memory.
        Body::File(file, len) => io::copy(&mut file.take(len), stream).map(drop),
    });
    if sent.is_ok() {
        let _ = stream.flush();
        // The end of the answer, sent now rather than when the socket closes.
        let _ = stream.shutdown(Shutdown::Write);
    }
}

/// A reload poll waiting for the site to change.
struct Parked {
    stream: TcpStream,
    since: u64,
    until: Instant,
    head_only: bool,
    _slot: Slot,
}

/// Answers at once if the site is already past `since`; otherwise parks
/// the poll for [`answer_polls`], or refuses it with a 503 when the polls'
/// share of connections is full. The version is read under the list's
/// lock, and so is it by [`answer_polls`]: a change can never fall between
/// the check and the parking.
fn park(mut stream: TcpStream, since: u64, head_only: bool, slot: Slot, shared: &Shared) {
    let mut parked = shared.parked.lock().unwrap_or_else(|e| e.into_inner());
    let version = shared.live.version();
    if version != since {
        drop(parked);
        return send(&mut stream, version_reply(version), head_only);
    }
    if parked.len() >= shared.limits.polls {
        drop(parked);
        return busy(&mut stream, "Too many pages are waiting for a reload; try again.\n");
    }
    // Non-blocking from now on, so a look at whether the client has gone
    // never waits (see `gone`).
    if stream.set_nonblocking(true).is_ok() {
        parked.push(Parked { stream, since, until: Instant::now() + POLL_WAIT, head_only, _slot: slot });
    }
}

fn version_reply(version: u64) -> Reply {
    Reply::text(200, &version.to_string())
}

/// The thread that answers parked polls: on each change of the site, every
/// poll behind it; each [`TICK`], polls that waited [`POLL_WAIT`] (with the
/// same version: the script polls again) and drops those whose client left.
fn answer_polls(shared: &Shared) {
    const TICK: Duration = Duration::from_millis(500);
    let mut seen = shared.live.version();
    while !shared.stop.load(Ordering::Acquire) {
        seen = shared.live.wait_for_change(seen, TICK);
        let now = Instant::now();
        let (due, version) = {
            let mut parked = shared.parked.lock().unwrap_or_else(|e| e.into_inner());
            let version = shared.live.version();
            let (due, keep): (Vec<Parked>, Vec<Parked>) =
                std::mem::take(&mut *parked).into_iter().partition(|p| p.since != version || p.until <= now);
            *parked = keep.into_iter().filter(|p| !gone(&p.stream)).collect();
            (due, version)
        };
        for mut p in due {
            if p.stream.set_nonblocking(false).is_ok()
                && p.stream.set_write_timeout(Some(Duration::from_secs(1))).is_ok()
            {
                send(&mut p.stream, version_reply(version), p.head_only);
            }
        }
    }
    shared.parked.lock().unwrap_or_else(|e| e.into_inner()).clear();
}

/// Whether the client of a parked poll has closed its side (a page closed
/// or reloaded): its descriptor is given back at once, not after 25 s.
fn gone(stream: &TcpStream) -> bool {
    let mut byte = [0u8; 1];
    match stream.peek(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != io::ErrorKind::WouldBlock,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_the_descriptor_limit() {
        let l = Limits::from_descriptor_limit();
        assert!(l.open >= 32 && l.polls == l.open / 2);
        assert!(l.open + RESERVED_DESCRIPTORS <= descriptor_limit().max(32 + RESERVED_DESCRIPTORS));
    }

    #[test]
    fn a_slot_counts_until_dropped() {
        let open = Arc::new(AtomicUsize::new(0));
        let a = Slot::new(&open);
        let b = Slot::new(&open);
        assert_eq!(open.load(Ordering::Acquire), 2);
        drop(a);
        drop(b);
        assert_eq!(open.load(Ordering::Acquire), 0);
    }
}
