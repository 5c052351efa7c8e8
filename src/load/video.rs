//! A story's video testimonial: `video = { url = "...", transcript = "..." }`
//! in the front matter, with optional `captions` (a WebVTT file under
//! static/) and `poster` (an image under static/).
//!
//! `url` is a YouTube address (`watch?v=`, `youtu.be/`, `/embed/`,
//! `/shorts/`, `/live/`), a Vimeo address (`vimeo.com/ID`, with the hash of
//! an unlisted video after it, `player.vimeo.com/video/ID`), or a video file
//! of the site's own, `.mp4` or `.webm`, written from static/ (`video/ana.mp4`
//! or `/video/ana.mp4`). What a single file can tell is checked here; whether
//! the local files exist is `validate`'s job (beside photos).

use super::fields::{Reader, Sp};
use crate::diagnostics::Diagnostic;
use toml::de::{DeTable, DeValue};

pub const KEYS: &[&str] = &["url", "transcript", "captions", "poster"];

const WHAT: &str = "`video`";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// The 11-character id of a YouTube video.
    YouTube(String),
    /// The numeric id of a Vimeo video, and the hash an unlisted video's
    /// address carries (`vimeo.com/123/abc` or `?h=abc`).
    Vimeo { id: String, hash: Option<String> },
    /// A file under static/, by its path from there (no leading `/`), and
    /// its MIME type (`video/mp4`, `video/webm`).
    File { path: String, mime: &'static str },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Video {
    pub source: Source,
    /// `url` as written, where it is written.
    pub url: Sp<String>,
    /// Never empty: required, a text version of what is said (WCAG 1.2).
    pub transcript: String,
    /// A WebVTT file under static/, as written.
    pub captions: Option<Sp<String>>,
    /// An image under static/, as written.
    pub poster: Option<Sp<String>>,
}

impl Video {
    /// The files under static/ the video names, as written (for `validate`):
    /// what kind of file, and where.
    pub fn local_files(&self) -> Vec<(&'static str, Sp<String>)> {
        let mut files = Vec::new();
        if let Source::File { .. } = self.source {
            files.push(("video file", self.url.clone()));
        }
        files.extend(self.captions.iter().map(|c| ("captions file", c.clone())));
        files.extend(self.poster.iter().map(|p| ("video poster", p.clone())));
        files
    }

    /// Whether it plays from YouTube or Vimeo (behind a click-to-load facade).
    pub fn is_embedded(&self) -> bool {
        !matches!(self.source, Source::File { .. })
    }
}

/// Reads `video` from the front matter `t`; `None` when it is absent or
/// has errors (pushed to `r`). `text` is the whole file, to point at the
/// first line of a `[video]` table rather than underline all of it.
pub fn read(r: &mut Reader, t: &DeTable<'_>, text: &str) -> Option<Video> {
    let v = t.get("video")?;
    let whole = super::fields::first_line(text, &r.abs(v.span()));
    let DeValue::Table(vt) = v.get_ref() else {
        r.error(v.span(), "`video` must be a table").hint =
            Some("write video = { url = \"https://www.youtube.com/watch?v=...\", transcript = \"...\" }".into());
        return None;
    };
    let before = r.errors.len();
    r.unknown_keys(vt, KEYS, WHAT);
    let url = r.str(vt, "url");
    if url.is_none() && vt.get("url").is_none() {
        r.missing(whole.clone(), "url", WHAT, "url = \"https://www.youtube.com/watch?v=...\" (YouTube, Vimeo, or a file like video/ana.mp4 under static/)");
    }
    let transcript = r.str(vt, "transcript");
    match &transcript {
        None if vt.get("transcript").is_none() => {
            r.missing(whole, "transcript", WHAT, "transcript = \"...\" (a text version of what is said)")
        }
        Some(tr) if tr.value.trim().is_empty() => {
            r.errors.push(Diagnostic::at(r.file, tr.span.clone(), "`transcript` is empty").hint(
                "write what is said in the video, for people who cannot hear it (use ''' for several paragraphs)",
            ))
        }
        _ => {}
    }
    let captions = r.str(vt, "captions");
    if let Some(c) = &captions {
        local_path(r, c, "captions", &["vtt"], "a WebVTT file under static/, like captions = \"video/ana.vtt\"");
    }
    let poster = r.str(vt, "poster");
    if let Some(p) = &poster {
        let images = ["jpg", "jpeg", "png", "webp", "gif", "avif", "svg"];
        local_path(r, p, "poster", &images, "an image under static/, like poster = \"img/ana-video.jpg\"");
    }
    let source = url.as_ref().and_then(|u| source(r, u));
    if r.errors.len() > before {
        return None;
    }
    Some(Video { source: source?, url: url?, transcript: transcript?.value, captions, poster })
}

/// What `url` points at, or an error at it.
fn source(r: &mut Reader, url: &Sp<String>) -> Option<Source> {
    let raw = url.value.trim();
    let fail = |r: &mut Reader, message: String, hint: &str| {
        r.errors.push(Diagnostic::at(r.file, url.span.clone(), message).hint(hint));
        None
    };
    const ACCEPTED: &str = "use a YouTube address (https://www.youtube.com/watch?v=...), a Vimeo address \
        (https://vimeo.com/123456789) or a video file of your own under static/ (video/ana.mp4 or .webm)";
    if raw.is_empty() {
        return fail(r, "`url` is empty".into(), ACCEPTED);
    }
    if !raw.contains("://") && !raw.starts_with("//") {
        let looks_like_host = ["youtube.com", "youtu.be", "vimeo.com", "www."].iter().any(|h| raw.contains(h));
        if looks_like_host {
            return fail(r, format!("`{raw}` is not a full address"), "write it with https:// in front");
        }
        let path = raw.trim_start_matches('/');
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let mime = match ext.as_deref() {
            Some("mp4" | "m4v") => "video/mp4",
            Some("webm") => "video/webm",
            _ => {
                return fail(
                    r,
                    format!("`{raw}` is not a video storypath can show"),
                    "a video file of your own must be an .mp4 or .webm under static/ (video/ana.mp4); or use a YouTube or Vimeo address",
                )
            }
        };
        if !crate::text::is_plain_relative(path) || path.contains(['?', '#']) {
            return fail(
                r,
                format!("`{raw}` is not a path under static/"),
                "give the file's path from static/, without `..`, like video/ana.mp4",
            );
        }
        return Some(Source::File { path: path.to_string(), mime });
    }
    let parsed = match url::Url::parse(raw) {
        Ok(u) if u.scheme() == "https" || u.scheme() == "http" => u,
        _ => return fail(r, format!("`{raw}` is not a web address storypath can embed"), ACCEPTED),
    };
    let host = parsed.host_str().unwrap_or("").trim_start_matches("www.").trim_start_matches("m.");
    let segments: Vec<&str> = parsed.path_segments().map(|s| s.filter(|x| !x.is_empty()).collect()).unwrap_or_default();
    let query = |key: &str| parsed.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned());
    match host {
        "youtube.com" | "youtube-nocookie.com" | "youtu.be" => {
            let id = match (host, segments.as_slice()) {
                ("youtu.be", [id, ..]) => Some(id.to_string()),
                (_, ["watch", ..]) => query("v"),
                (_, ["embed" | "shorts" | "live" | "v", id, ..]) => Some(id.to_string()),
                _ => None,
            };
            match id {
                Some(id) if is_youtube_id(&id) => Some(Source::YouTube(id)),
                Some(id) => fail(
                    r,
                    format!("`{id}` is not a YouTube video id"),
                    "a YouTube video id has 11 letters, digits, `-` or `_`: copy the address from YouTube's Share button",
                ),
                None => fail(
                    r,
                    format!("`{raw}` is not the address of one YouTube video"),
                    "use the video's address, like https://www.youtube.com/watch?v=... or https://youtu.be/...",
                ),
            }
        }
        "vimeo.com" | "player.vimeo.com" => {
            let (id, hash) = match (host, segments.as_slice()) {
                ("player.vimeo.com", ["video", id, ..]) => (Some(*id), query("h")),
                ("vimeo.com", [id, rest @ ..]) => {
                    (Some(*id), rest.first().map(|h| h.to_string()).or_else(|| query("h")))
                }
                _ => (None, None),
            };
            let hash_ok = hash.as_ref().is_none_or(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric()));
            match id {
                Some(id) if !id.is_empty() && id.len() <= 20 && id.chars().all(|c| c.is_ascii_digit()) && hash_ok => {
                    Some(Source::Vimeo { id: id.to_string(), hash })
                }
                _ => fail(
                    r,
                    format!("`{raw}` is not the address of one Vimeo video"),
                    "use the video's address, like https://vimeo.com/123456789 or https://player.vimeo.com/video/123456789",
                ),
            }
        }
        _ => fail(r, format!("`{raw}` is not a YouTube or Vimeo address"), ACCEPTED),
    }
}

fn is_youtube_id(id: &str) -> bool {
    id.len() == 11 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Checks that `value` is a plain path under static/ with one of `exts`.
fn local_path(r: &mut Reader, value: &Sp<String>, key: &str, exts: &[&str], hint: &str) {
    let path = value.value.trim_start_matches('/');
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let message = if path.contains("://") || !crate::text::is_plain_relative(path) || path.contains(['?', '#']) {
        format!("`{key}` must be a path under static/")
    } else if !exts.contains(&ext.as_str()) {
        format!("`{key}` must be {}", if key == "captions" { "a WebVTT (.vtt) file" } else { "an image file" })
    } else {
        return;
    };
    r.errors.push(Diagnostic::at(r.file, value.span.clone(), message).hint(hint));
}

/// The transcript's paragraphs: split at blank lines, each one's lines
/// joined by spaces.
pub fn paragraphs(transcript: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in transcript.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text under a span.
    fn under(text: &str, span: &std::ops::Range<usize>) -> String {
        text[span.clone()].to_string()
    }

    fn parse(video: &str) -> (Option<Video>, Vec<Diagnostic>, String) {
        let text = format!("title = \"T\"\nvideo = {video}\n");
        let mut r = Reader::new("a.md", 0);
        let t = r.parse(&text).unwrap();
        let v = read(&mut r, &t, &text);
        (v, r.errors, text)
    }

    fn source_of(url: &str) -> Source {
        let (v, errors, _) = parse(&format!("{{ url = \"{url}\", transcript = \"Hi\" }}"));
        assert!(errors.is_empty(), "{url}: {errors:?}");
        v.unwrap().source
    }

    fn error_of(video: &str) -> (String, String, String) {
        let (v, errors, text) = parse(video);
        assert!(v.is_none(), "{video} was accepted");
        assert_eq!(errors.len(), 1, "{video}: {errors:?}");
        let e = &errors[0];
        (e.message.clone(), e.hint.clone().unwrap_or_default(), under(&text, e.span.as_ref().unwrap()))
    }

    #[test]
    fn every_youtube_and_vimeo_form_is_read() {
        let yt = Source::YouTube("dQw4w9WgXcQ".into());
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=10",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?si=abc",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ] {
            assert_eq!(source_of(url), yt, "{url}");
        }
        let vimeo = Source::Vimeo { id: "76979871".into(), hash: None };
        assert_eq!(source_of("https://vimeo.com/76979871"), vimeo);
        assert_eq!(source_of("https://player.vimeo.com/video/76979871"), vimeo);
        let unlisted = Source::Vimeo { id: "76979871".into(), hash: Some("8272103f6e".into()) };
        assert_eq!(source_of("https://vimeo.com/76979871/8272103f6e"), unlisted);
        assert_eq!(source_of("https://player.vimeo.com/video/76979871?h=8272103f6e"), unlisted);
        assert_eq!(source_of("video/ana.mp4"), Source::File { path: "video/ana.mp4".into(), mime: "video/mp4" });
        assert_eq!(source_of("/video/ana.webm"), Source::File { path: "video/ana.webm".into(), mime: "video/webm" });
    }

    #[test]
    fn anything_else_is_a_located_error_with_a_hint() {
        let (m, h, at) = error_of("{ url = \"https://example.com/x\", transcript = \"Hi\" }");
        assert_eq!(m, "`https://example.com/x` is not a YouTube or Vimeo address");
        assert!(h.contains("video/ana.mp4"), "{h}");
        assert_eq!(at, "\"https://example.com/x\"");
        assert!(error_of("{ url = \"https://www.youtube.com/watch?v=short\", transcript = \"Hi\" }")
            .0
            .contains("`short` is not a YouTube video id"));
        assert!(error_of("{ url = \"https://www.youtube.com/channel/x\", transcript = \"Hi\" }")
            .0
            .contains("one YouTube video"));
        assert!(error_of("{ url = \"https://vimeo.com/about\", transcript = \"Hi\" }").0.contains("one Vimeo video"));
        assert!(error_of("{ url = \"video/ana.mov\", transcript = \"Hi\" }")
            .0
            .contains("not a video storypath can show"));
        assert!(error_of("{ url = \"../ana.mp4\", transcript = \"Hi\" }").0.contains("not a path under static/"));
        assert!(error_of("{ url = \"youtu.be/dQw4w9WgXcQ\", transcript = \"Hi\" }").1.contains("https://"));
        assert!(error_of("{ url = \"ftp://x/y.mp4\", transcript = \"Hi\" }").0.contains("not a web address"));
    }

    #[test]
    fn the_transcript_is_required_and_not_empty() {
        let (m, h, at) = error_of("{ url = \"video/a.mp4\" }");
        assert_eq!(m, "missing required key `transcript` in `video`");
        assert_eq!(h, "add transcript = \"...\" (a text version of what is said)");
        assert_eq!(at, "{ url = \"video/a.mp4\" }");
        let (m, _, at) = error_of("{ url = \"video/a.mp4\", transcript = \"  \" }");
        assert_eq!((m.as_str(), at.as_str()), ("`transcript` is empty", "\"  \""));
    }

    #[test]
    fn unknown_keys_and_bad_files_are_named() {
        let (m, h, at) = error_of("{ url = \"video/a.mp4\", transcript = \"Hi\", caption = \"a.vtt\" }");
        assert_eq!(
            (m.as_str(), h.as_str(), at.as_str()),
            ("unknown key `caption` in `video`", "did you mean `captions`?", "caption")
        );
        let (_, _, v) = error_of("{ url = \"video/a.mp4\", transcript = \"Hi\", captions = \"a.srt\" }");
        assert_eq!(v, "\"a.srt\"");
        assert!(error_of("{ url = \"video/a.mp4\", transcript = \"Hi\", poster = \"../x.jpg\" }")
            .0
            .contains("path under static/"));
        assert!(error_of("\"https://youtu.be/dQw4w9WgXcQ\"").0.contains("must be a table"));
        // A typo of `transcript` is reported once, as the typo.
        let (m, _, _) = error_of("{ url = \"video/a.mp4\", transcipt = \"Hi\" }");
        assert_eq!(m, "unknown key `transcipt` in `video`");
    }

    #[test]
    fn a_video_table_reads_like_the_inline_one() {
        let text = "title = \"T\"\n[video]\nurl = \"https://vimeo.com/1\"\ntranscript = '''\nOne\ntwo.\n\nThree.\n'''\ncaptions = \"/video/a.vtt\"\n";
        let mut r = Reader::new("a.md", 0);
        let t = r.parse(text).unwrap();
        let v = read(&mut r, &t, text).unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(paragraphs(&v.transcript), ["One two.", "Three."]);
        let files: Vec<(&str, String)> = v.local_files().into_iter().map(|(k, p)| (k, p.value)).collect();
        assert_eq!(files, [("captions file", "/video/a.vtt".to_string())]);
    }
}
