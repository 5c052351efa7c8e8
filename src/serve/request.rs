//! Reads one HTTP/1.1 request head (request line and headers) and decides
//! whether it may be answered at all: size limits, well-formedness, no body,
//! and a `Host` this server answers to.
//!
//! Only GET and HEAD without a body are ever answered, so nothing past the
//! head is read: a forged `Content-Length` costs nothing but a 400.

use std::net::{IpAddr, SocketAddr};

/// Longest request target answered (browsers send far shorter ones).
pub const MAX_URL: usize = 8 * 1024;
/// Most headers, and most bytes of header lines, a request may carry.
pub const MAX_HEADERS: usize = 100;
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// The longest request line: the target plus the method and version.
pub const MAX_LINE: usize = MAX_URL + 64;
/// The most bytes of a request head the server keeps while it arrives.
pub const MAX_HEAD: usize = MAX_LINE + MAX_HEADER_BYTES + 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    /// Any other (well-formed) method: answered 405.
    Other,
}

/// A request head that can be answered.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    pub method: Method,
    /// The path and query (origin form; an absolute-form target is reduced
    /// to its path after its authority has been checked like a `Host`).
    pub target: String,
}

/// Why a request is refused before routing: the status to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused(pub u16);

/// Where the end of the head is in `buf` (the index just past `\r\n\r\n`).
pub fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|at| at + 4)
}

/// Whether the bytes received so far are enough to answer: a whole head,
/// or more than the limits allow (then [`parse`] says 414 or 431).
pub fn ready(buf: &[u8]) -> bool {
    head_end(buf).is_some() || buf.len() >= MAX_HEAD || (buf.len() > MAX_LINE && !buf.contains(&b'\n'))
}

/// Parses a request head received whole (or cut at the limits) and checks
/// it against the hosts this server answers to.
pub fn parse(buf: &[u8], hosts: &Hosts) -> Result<Head, Refused> {
    let line_end = buf.windows(2).position(|w| w == b"\r\n");
    let Some(line_end) = line_end.filter(|&n| n <= MAX_LINE) else {
        return Err(Refused(if buf.len() > MAX_LINE { 414 } else { 400 }));
    };
    let Some(end) = head_end(buf) else { return Err(Refused(431)) };
    let line = &buf[..line_end];
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refused(400));
    };
    if method.is_empty() || !method.iter().all(|&b| is_tchar(b)) {
        return Err(Refused(400));
    }
    if target.len() > MAX_URL {
        return Err(Refused(414));
    }
    // Browsers percent-encode; raw UTF-8 (as some tools send it) is taken
    // too, and decoded paths are compared, so both spellings match.
    if target.is_empty() || !target.iter().all(|&b| b.is_ascii_graphic() || b >= 0x80) {
        return Err(Refused(400));
    }
    match version {
        b"HTTP/1.1" | b"HTTP/1.0" => {}
        v if v.starts_with(b"HTTP/") => return Err(Refused(505)),
        _ => return Err(Refused(400)),
    }
    let http10 = version == b"HTTP/1.0";

    let fields = &buf[line_end + 2..end - 2];
    if fields.len() > MAX_HEADER_BYTES {
        return Err(Refused(431));
    }
    let (mut host, mut length, mut chunked, mut count) = (None, None, false, 0);
    for field in fields.split(|&b| b == b'\n').filter(|f| !f.is_empty()) {
        count += 1;
        if count > MAX_HEADERS {
            return Err(Refused(431));
        }
        let field = field.strip_suffix(b"\r").ok_or(Refused(400))?;
        let colon = field.iter().position(|&b| b == b':').ok_or(Refused(400))?;
        let (name, value) = (&field[..colon], field[colon + 1..].trim_ascii());
        // A name with a space or nothing before the colon, or a folded line.
        if name.is_empty() || !name.iter().all(|&b| is_tchar(b)) {
            return Err(Refused(400));
        }
        if value.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Err(Refused(400));
        }
        if name.eq_ignore_ascii_case(b"host") {
            if host.is_some() {
                return Err(Refused(400));
            }
            host = Some(std::str::from_utf8(value).map_err(|_| Refused(400))?);
        } else if name.eq_ignore_ascii_case(b"content-length") {
            let n = std::str::from_utf8(value).ok().filter(|v| v.bytes().all(|b| b.is_ascii_digit()));
            let n: u64 = n.and_then(|v| v.parse().ok()).ok_or(Refused(400))?;
            if length.is_some_and(|l| l != n) {
                return Err(Refused(400));
            }
            length = Some(n);
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            chunked = true;
        }
    }

    let target = std::str::from_utf8(target).map_err(|_| Refused(400))?;
    // The absolute form names its host in the target, and that host wins.
    let (authority, path) = match split_absolute(target) {
        Some((authority, path)) => (Some(authority), path),
        None => (host, target),
    };
    match authority {
        Some(a) if hosts.allows(a) => {}
        None if http10 => {}
        None => return Err(Refused(400)),
        Some(_) => return Err(Refused(403)),
    }
    // GET and HEAD carry no body; one declared is refused unread.
    if chunked || length.is_some_and(|n| n > 0) {
        return Err(Refused(400));
    }
    let method = match method {
        b"GET" => Method::Get,
        b"HEAD" => Method::Head,
        _ => Method::Other,
    };
    Ok(Head { method, target: path.to_string() })
}

/// `http://host:port/path?q` as (`host:port`, `/path?q`).
fn split_absolute(target: &str) -> Option<(&str, &str)> {
    let scheme = target.get(..7).filter(|s| s.eq_ignore_ascii_case("http://"))?;
    let rest = &target[scheme.len()..];
    let slash = rest.find('/').unwrap_or(rest.len());
    let path = if slash == rest.len() { "/" } else { &rest[slash..] };
    Some((&rest[..slash], path))
}

/// RFC 9110 token characters (methods and header names).
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The `Host` values this server answers to. A page on another origin
/// cannot read the preview through the browser unless it can make its own
/// host name point at this machine (DNS rebinding): the request then still
/// carries the attacker's name in `Host`. Answering only to loopback names,
/// the bound address and names the user allowed defeats that; an IP
/// address in `Host` cannot be rebound, so when listening on every
/// interface any address is accepted (a phone on the LAN at
/// `http://192.168.1.20:1111/`).
#[derive(Debug, Clone)]
pub struct Hosts {
    port: u16,
    /// Lower case, IPv6 in brackets, without the port.
    names: Vec<String>,
    any_address: bool,
}

impl Hosts {
    /// The hosts for a server bound at `addr`, plus `extra` names
    /// (`--allow-host`, for LAN previews by name).
    pub fn new(addr: SocketAddr, extra: &[String]) -> Hosts {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].map(String::from).into();
        if !addr.ip().is_unspecified() {
            names.push(bracketed(addr.ip()));
        }
        for name in extra {
            let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
            match name.parse::<IpAddr>() {
                Ok(ip) => names.push(bracketed(ip)),
                Err(_) => names.push(name),
            }
        }
        Hosts { port: addr.port(), names, any_address: addr.ip().is_unspecified() }
    }

    /// Whether a `Host` value (`name:port`, `[v6]:port`) is one of ours.
    pub fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.rfind(':') {
            Some(at) if !host[at..].contains(']') => (&host[..at], Some(&host[at + 1..])),
            _ => (host, None),
        };
        let port_ok = match port {
            Some(p) => p.parse::<u16>() == Ok(self.port),
            // A browser leaves out only the scheme's default port.
            None => self.port == 80,
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let is_address = name.parse::<std::net::Ipv4Addr>().is_ok()
            || name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).is_some_and(|n| n.parse::<IpAddr>().is_ok());
        port_ok && (self.names.contains(&name) || (self.any_address && is_address))
    }
}

fn bracketed(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> Hosts {
        Hosts::new("127.0.0.1:4000".parse().unwrap(), &[])
    }

    fn parse_str(s: &str) -> Result<Head, Refused> {
        parse(s.as_bytes(), &hosts())
    }

    #[test]
    fn answers_loopback_names_and_the_bound_address_only() {
        let h = hosts();
        for ok in ["localhost:4000", "LOCALHOST:4000", "127.0.0.1:4000", "[::1]:4000", "localhost.:4000"] {
            assert!(h.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:4000",
            "localhost:4001",
            "localhost",
            "127.0.0.1",
            "localhost.evil.example:4000",
            "192.168.1.20:4000",
            "",
            ":4000",
            "localhost:4000:4000",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
        let lan = Hosts::new("192.168.1.20:4000".parse().unwrap(), &["Laptop.local".into()]);
        assert!(lan.allows("192.168.1.20:4000") && lan.allows("laptop.local:4000"));
        assert!(!lan.allows("192.168.1.21:4000"));
        let every = Hosts::new("0.0.0.0:4000".parse().unwrap(), &[]);
        assert!(every.allows("10.0.0.7:4000") && every.allows("[fe80::1]:4000"));
        assert!(!every.allows("rebind.evil.example:4000"));
        assert!(Hosts::new("127.0.0.1:80".parse().unwrap(), &[]).allows("localhost"));
    }

    #[test]
    fn refuses_what_cannot_be_answered() {
        let get = |extra: &str| parse_str(&format!("GET /a HTTP/1.1\r\nHost: localhost:4000\r\n{extra}\r\n"));
        assert_eq!(get(""), Ok(Head { method: Method::Get, target: "/a".into() }));
        assert_eq!(get("Content-Length: 0\r\n").map(|h| h.method), Ok(Method::Get));
        assert_eq!(get("Content-Length: 99999999999\r\n"), Err(Refused(400)));
        assert_eq!(get("Content-Length: 999999999999999999999999\r\n"), Err(Refused(400)));
        assert_eq!(get("Content-Length: -1\r\n"), Err(Refused(400)));
        assert_eq!(get("Transfer-Encoding: chunked\r\n"), Err(Refused(400)));
        assert_eq!(get("Host: localhost:4000\r\n"), Err(Refused(400)));
        assert_eq!(get(" folded\r\n"), Err(Refused(400)));
        assert_eq!(get("X-Bad: a\x01b\r\n"), Err(Refused(400)));
        let flood: String = (0..101).map(|i| format!("X-{i}: v\r\n")).collect();
        assert_eq!(get(&flood), Err(Refused(431)));
        assert_eq!(get(&format!("X-Big: {}\r\n", "b".repeat(MAX_HEADER_BYTES))), Err(Refused(431)));
        let long = format!("GET /{} HTTP/1.1\r\nHost: localhost:4000\r\n\r\n", "a".repeat(MAX_URL));
        assert_eq!(parse_str(&long), Err(Refused(414)));
        let cut = format!("GET /{}", "a".repeat(MAX_LINE));
        assert_eq!(parse_str(&cut), Err(Refused(414)), "a line cut at the limit");
        assert_eq!(parse_str("GET /a HTTP/1.1\r\n\r\n"), Err(Refused(400)), "HTTP/1.1 needs a Host");
        assert_eq!(parse_str("GET /a HTTP/1.0\r\n\r\n").map(|h| h.target), Ok("/a".into()));
        assert_eq!(parse_str("GET /a HTTP/1.1\r\nHost: evil.example:4000\r\n\r\n"), Err(Refused(403)));
        assert_eq!(parse_str("GET /a HTTP/2.0\r\nHost: localhost:4000\r\n\r\n"), Err(Refused(505)));
        for bad in ["GET /a\r\n\r\n", "GARBAGE\r\n\r\n", "G\0ET / HTTP/1.1\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n"] {
            assert_eq!(parse_str(bad), Err(Refused(400)), "{bad:?}");
        }
        let post = parse_str("POST / HTTP/1.1\r\nHost: localhost:4000\r\n\r\n").unwrap();
        assert_eq!(post.method, Method::Other);
    }

    #[test]
    fn an_absolute_target_is_checked_like_a_host() {
        let abs = parse_str("GET http://localhost:4000/x?y HTTP/1.1\r\nHost: evil\r\n\r\n").unwrap();
        assert_eq!(abs.target, "/x?y");
        let evil = parse_str("GET http://evil.example/secret.txt HTTP/1.1\r\nHost: localhost:4000\r\n\r\n");
        assert_eq!(evil, Err(Refused(403)));
    }

    #[test]
    fn ready_once_whole_or_too_big() {
        assert!(!ready(b"GET / HTTP/1.1\r\nHost: x"));
        assert!(ready(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(ready(&vec![b'a'; MAX_LINE + 1]));
        let mut long_head = b"GET / HTTP/1.1\r\n".to_vec();
        long_head.resize(MAX_HEAD, b'x');
        assert!(ready(&long_head));
    }
}
