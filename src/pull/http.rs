//! The HTTP client of `jobs pull` (ureq: blocking, rustls), and reading a
//! saved export from a URL or a file.

use super::PullError;
use std::io::ErrorKind;
use std::time::Duration;

/// The largest response read (a board of thousands of openings with their
/// descriptions is a few megabytes).
const MAX_BODY: u64 = 64 << 20;

/// GETs `url` and returns its body; anything but a 2xx status is an error
/// that names the status and the URL.
pub fn get(url: &str, timeout: Duration) -> Result<String, PullError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("storypath/", env!("CARGO_PKG_VERSION"), " (jobs pull)"))
        .build()
        .into();
    let mut response =
        agent.get(url).header("Accept", "application/json").call().map_err(|e| failed(url, &e, timeout))?;
    let status = response.status();
    if !status.is_success() {
        let reason = status.canonical_reason().map(|r| format!(" {r}")).unwrap_or_default();
        let hint = match status.as_u16() {
            404 => {
                "check the board, company or organisation name (it is the last part of the public job board's address)"
            }
            429 => "the API is limiting requests: try again later",
            500..=599 => "the ATS had a problem answering: try again later; the jobs file is as it was",
            _ => "the jobs file is as it was",
        };
        return Err(PullError::new(format!("{url} answered HTTP {}{reason}", status.as_u16())).hint(hint));
    }
    response.body_mut().with_config().limit(MAX_BODY).read_to_string().map_err(|e| failed(url, &e, timeout))
}

fn failed(url: &str, e: &ureq::Error, timeout: Duration) -> PullError {
    let what = match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s (--timeout)", timeout.as_secs()),
        ureq::Error::Io(io) if io.kind() == ErrorKind::TimedOut || io.kind() == ErrorKind::WouldBlock => {
            format!("no answer within {} s (--timeout)", timeout.as_secs())
        }
        ureq::Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => "connection refused".to_string(),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::Io(io) if io.to_string().contains("lookup address") => format!("host not found ({io})"),
        ureq::Error::Io(io) => io.to_string(),
        ureq::Error::ConnectionFailed => "could not connect".to_string(),
        ureq::Error::BodyExceedsLimit(n) => format!("the response is larger than {n} bytes"),
        other => other.to_string(),
    };
    PullError::new(format!("cannot fetch {url}: {what}"))
        .hint("check the name and the network (a proxy from HTTPS_PROXY is used when set); the jobs file is as it was")
}

/// A saved export: fetched when `url` is http(s)://, else read from a
/// `file://` URL or a path.
pub fn read_url(url: &str, timeout: Duration) -> Result<String, PullError> {
    if url.starts_with("http://") || url.starts_with("https://") {
        return get(url, timeout);
    }
    let path = if url.starts_with("file:") {
        url::Url::parse(url).ok().and_then(|u| u.to_file_path().ok()).ok_or_else(|| {
            PullError::new(format!("`{url}` is not a file URL"))
                .hint("write file:///absolute/path.json, or the path itself")
        })?
    } else {
        std::path::PathBuf::from(url)
    };
    std::fs::read_to_string(&path).map_err(|e| {
        PullError::new(format!("cannot read {}: {e}", path.display()))
            .hint("--url takes an http(s):// URL, a file:// URL or the path of a saved JSON response")
    })
}
