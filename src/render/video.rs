//! A story's video on its page: what `video.html` gets ([`view`]) and the
//! schema.org `VideoObject` of the page's JSON-LD ([`object`]).
//!
//! YouTube and Vimeo videos are shown behind a click-to-load facade: the
//! page requests nothing from a third party until the play button is
//! pressed. Without JavaScript the button is a plain link to the video's
//! page on YouTube or Vimeo; with it, `js/video.js` puts the privacy-minded
//! player (`youtube-nocookie.com`, Vimeo with `dnt=1`) in its place.

use crate::load::story::Story;
use crate::load::video::{paragraphs, Source, Video};
use crate::model::Site;
use serde::Serialize;
use serde_json::{json, Value};

/// The image shown before a video plays, from the image pipeline
/// (`media::Use::Poster`: 16:9, around the photo's focal point when the
/// photo stands in). Chosen in one place, [`poster`]: `video.html` draws it
/// once (the facade's `<picture>`, or the `poster` attribute of a `<video>`),
/// and the VideoObject's thumbnail is its largest file.
pub type Poster = crate::media::Picture;

/// The `poster` if given, else the story's photo, as the pipeline made it.
pub fn poster<'a>(site: &'a Site, s: &Story, v: &Video) -> Option<&'a Poster> {
    match &v.poster {
        Some(p) => site.media.picture(&p.value, crate::media::Use::Poster),
        None => {
            let p = s.photo.as_ref()?;
            site.media.picture_at(&p.value, crate::media::Use::Poster, s.photo_focus.unwrap_or((0.5, 0.5)))
        }
    }
}

/// What `video.html` gets as `video`.
#[derive(Debug, Clone, Serialize)]
pub struct VideoView {
    /// `youtube`, `vimeo` or `file`.
    pub kind: &'static str,
    /// A YouTube or Vimeo video behind the click-to-load facade.
    pub facade: bool,
    /// "YouTube", "Vimeo"; empty for a file.
    pub provider: &'static str,
    /// The story's headline: the play button says "Play video: <title>".
    pub title: String,
    /// The video's page on YouTube or Vimeo: the play button's link
    /// without JavaScript.
    pub watch_url: Option<String>,
    /// The player `js/video.js` loads on a click (autoplay, no tracking cookies).
    pub embed_url: Option<String>,
    /// A file of the site's own: its link and MIME type.
    pub src: Option<String>,
    pub mime: Option<String>,
    /// The WebVTT captions of a file, and the language they are in (the site's).
    pub captions_url: Option<String>,
    pub captions_lang: String,
    /// The `poster` if given, else the story's photo; none draws a panel
    /// in the brand colours.
    pub poster: Option<Poster>,
    /// The transcript's paragraphs (split at blank lines), as text.
    pub transcript: Vec<String>,
}

/// The story's video as `video.html` shows it; `None` without one.
pub fn view(site: &Site, s: &Story) -> Option<VideoView> {
    let v = s.video.as_ref()?;
    let link = |p: &str| site.config.base.link(p);
    let poster = poster(site, s, v).cloned();
    let (kind, provider) = match &v.source {
        Source::YouTube(_) => ("youtube", "YouTube"),
        Source::Vimeo { .. } => ("vimeo", "Vimeo"),
        Source::File { .. } => ("file", ""),
    };
    let (src, mime) = match &v.source {
        Source::File { path, mime } => (Some(link(path)), Some(mime.to_string())),
        _ => (None, None),
    };
    Some(VideoView {
        kind,
        facade: v.is_embedded(),
        provider,
        title: s.title.clone(),
        watch_url: watch_url(&v.source),
        embed_url: embed_url(&v.source, true),
        src,
        mime,
        captions_url: v.captions.as_ref().map(|c| link(&c.value)),
        captions_lang: site.config.language.clone(),
        poster,
        transcript: paragraphs(&v.transcript),
    })
}

/// The video's own page on YouTube or Vimeo.
fn watch_url(source: &Source) -> Option<String> {
    match source {
        Source::YouTube(id) => Some(format!("https://www.youtube.com/watch?v={id}")),
        Source::Vimeo { id, hash: None } => Some(format!("https://vimeo.com/{id}")),
        Source::Vimeo { id, hash: Some(h) } => Some(format!("https://vimeo.com/{id}/{h}")),
        Source::File { .. } => None,
    }
}

/// The player of a YouTube or Vimeo video: YouTube's without tracking
/// cookies, Vimeo's with Do Not Track; `autoplay` when a click loads it.
fn embed_url(source: &Source, autoplay: bool) -> Option<String> {
    let auto = if autoplay { "autoplay=1" } else { "" };
    let join = |base: String, params: &[&str]| {
        let params: Vec<&str> = params.iter().copied().filter(|p| !p.is_empty()).collect();
        if params.is_empty() {
            base
        } else {
            format!("{base}?{}", params.join("&"))
        }
    };
    match source {
        Source::YouTube(id) => Some(join(format!("https://www.youtube-nocookie.com/embed/{id}"), &[auto])),
        Source::Vimeo { id, hash } => {
            let h = hash.as_ref().map(|h| format!("h={h}")).unwrap_or_default();
            Some(join(format!("https://player.vimeo.com/video/{id}"), &[&h, "dnt=1", auto]))
        }
        Source::File { .. } => None,
    }
}

/// The schema.org `VideoObject` of story `s`'s video, nested in the
/// story's Article as its `video`.
///
/// - `name`: the story's headline; `description`: the transcript's first
///   200 characters (it is required, so there always is one); `transcript`:
///   the whole of it; `uploadDate`: the story's `date`; `inLanguage`.
/// - `thumbnailUrl` (search engines require one): the `poster` when given,
///   else `page_image`, the page's Open Graph image: the story's photo when
///   it is one social networks show, else its share card, a PNG drawn in the
///   brand colours. So there is always a thumbnail, and it is an image that
///   exists and that crawlers read (not an SVG photo).
/// - `embedUrl` for YouTube and Vimeo (their player, as the page loads it
///   but without autoplay), `contentUrl` (absolute) for a file of the site's
///   own, with `encodingFormat`; `caption`: the WebVTT file, when given.
pub fn object(site: &Site, s: &Story, v: &Video, page_image: Option<&str>) -> Value {
    let abs = |p: &str| site.config.base.absolute(p);
    let thumbnail = match (&v.poster, poster(site, s, v)) {
        (Some(_), Some(p)) => Some(abs(&p.full)),
        _ => page_image.map(str::to_string),
    };
    let mut o = json!({
        "@type": "VideoObject",
        "name": s.title,
        "description": crate::text::truncate_chars(&v.transcript, 200),
        "uploadDate": s.date.to_string(),
        "inLanguage": site.config.language,
        "transcript": paragraphs(&v.transcript).join("\n\n"),
    });
    if let Some(t) = thumbnail {
        o["thumbnailUrl"] = json!(t);
    }
    match &v.source {
        Source::File { path, mime } => {
            o["contentUrl"] = json!(abs(path));
            o["encodingFormat"] = json!(mime);
        }
        other => o["embedUrl"] = json!(embed_url(other, false)),
    }
    if let Some(c) = &v.captions {
        o["caption"] = json!({ "@type": "MediaObject", "contentUrl": abs(&c.value), "encodingFormat": "text/vtt" });
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn players_are_the_privacy_minded_ones() {
        let yt = Source::YouTube("dQw4w9WgXcQ".into());
        assert_eq!(embed_url(&yt, true).unwrap(), "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1");
        assert_eq!(embed_url(&yt, false).unwrap(), "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
        assert_eq!(watch_url(&yt).unwrap(), "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
        let vimeo = Source::Vimeo { id: "1".into(), hash: Some("ab".into()) };
        assert_eq!(embed_url(&vimeo, true).unwrap(), "https://player.vimeo.com/video/1?h=ab&dnt=1&autoplay=1");
        assert_eq!(embed_url(&vimeo, false).unwrap(), "https://player.vimeo.com/video/1?h=ab&dnt=1");
        assert_eq!(watch_url(&vimeo).unwrap(), "https://vimeo.com/1/ab");
        let plain = Source::Vimeo { id: "1".into(), hash: None };
        assert_eq!(embed_url(&plain, true).unwrap(), "https://player.vimeo.com/video/1?dnt=1&autoplay=1");
    }
}
