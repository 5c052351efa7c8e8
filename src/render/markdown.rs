//! Markdown bodies to HTML: CommonMark with tables, footnotes, strikethrough,
//! task lists and heading anchors.
//!
//! Safety by default: raw HTML in a body is sanitised, never executed. Safe
//! markup stays (`<details>`, `<sup>`, `<br>`, tables, images...); scripts,
//! styles, event handlers, forms and frames go, and so do `javascript:`,
//! `vbscript:`, `file:` and `data:` URLs (`data:image/...` stays on images).
//! (A story is written by a careers team, often pasted from elsewhere; it
//! must not be able to run code on the company's domain.) Markdown links
//! and images with such URLs become `#`. A body without raw HTML is never
//! parsed twice: pulldown-cmark's own output is already safe.
//!
//! Images in bodies: a local image (no scheme, not `//host`) is a file
//! under `static/`, whether written relative (`img/x.jpg`) or root-relative
//! (`/img/x.jpg`): relative paths are relative to `static/`, not to the
//! page, so a story reads the same wherever it is published. `../` that
//! climbs out of `static/` is an error. `validate` checks that each exists
//! ([`image_refs`]); [`to_html_with`] links them under the base path, and
//! shows those the image plan resized as a `<picture>` with `srcset` (raw
//! `<img src>` gets the resized file's `src`). That generated markup is put
//! in after sanitising, so a writer's own `<picture>`, `<source>` or
//! `srcset` still go. Root-relative Markdown links (`/stories/ana/`) get
//! the base path too; relative links stay as written.
//!
//! Frames, videos, audio and embedded objects are removed by the sanitiser;
//! [`removed_embeds`] finds them for `check`'s warnings.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// True when a URL may run code or smuggle content (`javascript:` etc.).
pub fn is_unsafe_url(url: &str) -> bool {
    let cleaned: String =
        url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"].iter().any(|s| cleaned.starts_with(s))
}

/// A local image of a body: a file under `static/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyImage {
    /// Under `static/`, without a leading `/`, percent-decoded, without
    /// query or fragment: `img/x.jpg`.
    pub path: String,
    /// Of the URL in the Markdown (for a reference image, in its definition).
    pub span: Range<usize>,
    pub alt: String,
}

/// Every image URL of a body that names a file of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageRefs {
    /// Files under `static/`.
    pub local: Vec<BodyImage>,
    /// URLs whose `../` climb out of `static/`: as written, and where.
    pub outside: Vec<(String, Range<usize>)>,
}

/// The local images of a body (Markdown `![alt](url)` and raw `<img src>`),
/// in the order they are written. Leaves out URLs that climb out of
/// `static/` (see [`image_refs`]).
pub fn body_images(md: &str) -> Vec<BodyImage> {
    image_refs(md).local
}

/// The local images of a body, and the URLs that climb out of `static/`.
pub fn image_refs(md: &str) -> ImageRefs {
    let mut refs = ImageRefs::default();
    if !md.contains("![") && !md.contains('<') {
        return refs;
    }
    let mut found = |url: &str, span: Range<usize>, alt: String| match local_path(url) {
        Local::Path(path) => refs.local.push(BodyImage { path, span, alt }),
        Local::Outside => refs.outside.push((url.to_string(), span)),
        Local::Remote => {}
    };
    let mut iter = Parser::new_ext(md, options()).into_offset_iter();
    // The open Markdown image: its URL and span, its alt so far, and how
    // many images are nested in its alt.
    let mut image: Option<(String, Range<usize>, String, usize)> = None;
    let mut block: Option<Chunk> = None;
    while let Some((ev, range)) = iter.next() {
        if let Some((_, _, alt, depth)) = &mut image {
            match &ev {
                Event::Start(Tag::Image { .. }) => *depth += 1,
                Event::End(TagEnd::Image) if *depth > 0 => *depth -= 1,
                Event::End(TagEnd::Image) => {
                    let (url, span, alt, _) = image.take().expect("open image");
                    found(&url, span, alt);
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(Tag::Image { link_type, dest_url, id, .. }) => {
                let at = match link_type {
                    LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                        iter.reference_definitions().get(&id).map_or(range.clone(), |d| d.span.clone())
                    }
                    _ => range.clone(),
                };
                let span = url_span(md, at, &dest_url);
                image = Some((dest_url.to_string(), span, String::new(), 0));
            }
            Event::Start(Tag::HtmlBlock) => block = Some(Chunk::default()),
            Event::Html(h) => match &mut block {
                Some(c) => c.push(&h, range.start),
                None => html_images(&Chunk::of(&h, range.start), &mut found),
            },
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(c) = block.take() {
                    html_images(&c, &mut found);
                }
            }
            Event::InlineHtml(h) => html_images(&Chunk::of(&h, range.start), &mut found),
            _ => {}
        }
    }
    refs
}

/// The image plan's requests for the local raster and SVG images of every
/// published story's and page's body (`media::Use::Body`), located in their
/// files. Validate has checked they exist. (Other files, `.avif` say, are
/// linked as they are.)
pub fn body_requests(
    stories: &[crate::load::story::Story],
    pages: &[crate::load::page::Page],
    drafts: bool,
) -> Vec<crate::media::Request> {
    use rayon::prelude::*;
    let stories = stories.par_iter().filter(|s| drafts || !s.draft).map(|s| (&s.file, &s.body, s.body_offset));
    let pages = pages.par_iter().filter(|p| drafts || !p.draft).map(|p| (&p.file, &p.body, p.body_offset));
    stories
        .chain(pages)
        .flat_map_iter(|(file, body, offset)| {
            let shown = |p: &str| crate::media::is_raster(p) || p.to_ascii_lowercase().ends_with(".svg");
            body_images(body).into_iter().filter(move |img| shown(&img.path)).map(move |img| crate::media::Request {
                path: img.path,
                use_: crate::media::Use::Body,
                focus: (0.5, 0.5),
                file: file.clone(),
                span: img.span.start + offset..img.span.end + offset,
                what: "image",
            })
        })
        .collect()
}

/// The `<img src>` of a chunk of raw HTML.
fn html_images(c: &Chunk, found: &mut impl FnMut(&str, Range<usize>, String)) {
    for tag in scan_tags(&c.text) {
        if tag.name != "img" {
            continue;
        }
        if let Some(src) = tag.attr("src").and_then(|a| a.value.clone()) {
            let alt = tag.attr("alt").and_then(|a| a.value.clone()).map(|v| decode_entities(&c.text[v]));
            found(&decode_entities(&c.text[src.clone()]), c.md_range(src), alt.unwrap_or_default());
        }
    }
}

/// The elements the sanitiser removes that a writer most likely meant to
/// show: frames, videos, audio, embedded objects.
pub const EMBEDS: &[&str] = &["iframe", "video", "audio", "embed", "object"];

/// Each `<iframe>`, `<video>`, `<audio>`, `<embed>` and `<object>` in the raw
/// HTML of a body: the tag name (lower case) and the span of `<name`.
pub fn removed_embeds(md: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    if !md.contains('<') {
        return out;
    }
    let mut block: Option<Chunk> = None;
    let mut look = |c: &Chunk| {
        for tag in scan_tags(&c.text) {
            if EMBEDS.contains(&tag.name.as_str()) {
                out.push((tag.name.clone(), c.md_range(tag.start..tag.name_end)));
            }
        }
    };
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::HtmlBlock) => block = Some(Chunk::default()),
            Event::Html(h) => match &mut block {
                Some(c) => c.push(&h, range.start),
                None => look(&Chunk::of(&h, range.start)),
            },
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(c) = block.take() {
                    look(&c);
                }
            }
            Event::InlineHtml(h) => look(&Chunk::of(&h, range.start)),
            _ => {}
        }
    }
    out
}

/// Where a link's destination is written in `md[at]` (an inline image or a
/// reference definition): after `](` or `]:`, as written when it can be
/// found literally, else the word there, else all of `at`.
fn url_span(md: &str, at: Range<usize>, dest: &str) -> Range<usize> {
    let Some(text) = md.get(at.clone()) else { return at };
    let mut fallback = None;
    for (i, _) in text.match_indices("](").chain(text.match_indices("]:")) {
        let after = &text[i + 2..];
        let skipped = after.len() - after.trim_start().len();
        let mut j = i + 2 + skipped;
        if text[j..].starts_with('<') {
            j += 1;
        }
        if !dest.is_empty() && text[j..].starts_with(dest) {
            return at.start + j..at.start + j + dest.len();
        }
        let len = text[j..].find(|c: char| c.is_whitespace() || c == ')' || c == '>').unwrap_or(text.len() - j);
        if len > 0 {
            fallback = Some(at.start + j..at.start + j + len);
        }
    }
    fallback.unwrap_or(at)
}

/// What a URL in a body names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Local {
    /// Another site, a scheme (`mailto:`, `data:`), a fragment, or nothing.
    Remote,
    /// A file under `static/`.
    Path(String),
    /// `../` climbing out of `static/`.
    Outside,
}

/// Classifies a URL: both `img/x.jpg` and `/img/x.jpg` are `static/img/x.jpg`.
fn local_path(url: &str) -> Local {
    let url = url.trim();
    if url.is_empty() || url.starts_with('#') || url.starts_with("//") || has_scheme(url) || is_unsafe_url(url) {
        return Local::Remote;
    }
    let raw = &url[..url.find(['?', '#']).unwrap_or(url.len())];
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| raw.to_string());
    let mut parts: Vec<&str> = Vec::new();
    // Browsers read `\` as `/` in http(s) URLs.
    for seg in decoded.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Local::Outside;
                }
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return Local::Remote;
    }
    Local::Path(parts.join("/"))
}

/// `scheme:` before any `/`, `?` or `#` (`https:`, `mailto:`, `tel:`).
fn has_scheme(url: &str) -> bool {
    let end = url.find([':', '/', '?', '#']);
    match end {
        Some(i) if url[i..].starts_with(':') && i > 0 => {
            let s = &url[..i];
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// Characters escaped in the path of a local link.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b',');

/// A local image's URL under the base path: `/careers/img/x.jpg`, with the
/// query and fragment as written.
fn local_url(base_path: &str, path: &str, written: &str) -> String {
    let written = written.trim();
    let suffix = written.find(['?', '#']).map_or("", |i| &written[i..]);
    format!("{base_path}{}{suffix}", percent_encoding::utf8_percent_encode(path, PATH))
}

/// What a body is rendered with: the site's base path and the image plan.
pub struct Body<'a> {
    /// The base URL's path, starting and ending with `/` (`/careers/`).
    pub base_path: &'a str,
    /// The picture the image plan made of a file under `static/` for a
    /// body, if any.
    pub picture: &'a (dyn Fn(&str) -> Option<crate::media::Picture> + Sync),
    /// Whether the body's first picture leads the page (a free page, which
    /// has no photo of its own): fetched at once, not lazily, as the page's
    /// largest paint. Taken by that picture.
    pub lead: std::cell::Cell<bool>,
    /// The words of the page's language (the headings' `#` links, the notes).
    pub words: &'a crate::i18n::Words,
}

/// The `sizes` of a body picture: the text column.
pub const BODY_SIZES: &str = "(max-width: 760px) calc(100vw - 32px), 42em";

/// Renders a body at the site root without resized pictures (see
/// [`to_html_with`]).
pub fn to_html(md: &str) -> String {
    let words = crate::i18n::Words::english();
    to_html_with(md, &Body { base_path: "/", picture: &|_| None, lead: false.into(), words })
}

/// Renders a body. Headings get ids (unique in the document) and a `#`
/// link; local images and root-relative links get the base path, and images
/// the plan resized become `<picture>`s.
pub fn to_html_with(md: &str, body: &Body) -> String {
    let mut out = Headings {
        anchor_label: body.words.t("markdown.anchor").to_string(),
        notes_label: body.words.t("markdown.notes").to_string(),
        ..Default::default()
    };
    let mut raw_html = false;
    // Pictures are put in after sanitising, in place of markers (private-
    // use characters, kept as text by the sanitiser). Only a body with `<`
    // can have raw HTML; the others get the markup straight away.
    let markers = md.contains('<');
    let mut pictures: Vec<String> = Vec::new();
    let mut image: Option<(Tag, Vec<Event>, usize)> = None;
    let mut block: Option<String> = None;
    // A task's checkbox and its text, inside a `<label>` until the item or
    // its paragraph ends or a block (a nested list) starts: the checkbox is
    // then named by its text, as screen readers need (axe: `label`).
    let mut task_label = false;
    for ev in Parser::new_ext(md, options()) {
        if task_label && ends_task_label(&ev) {
            out.push(Event::InlineHtml("</label>".into()));
            task_label = false;
        }
        raw_html |= matches!(ev, Event::Html(_) | Event::InlineHtml(_));
        let ev = neutralise_urls(ev);
        if let Some((_, inner, depth)) = &mut image {
            match ev {
                Event::End(TagEnd::Image) if *depth == 0 => {
                    let (tag, inner, _) = image.take().expect("open image");
                    finish_image(tag, inner, body, markers, &mut pictures, &mut out);
                }
                other => {
                    match &other {
                        Event::Start(Tag::Image { .. }) => *depth += 1,
                        Event::End(TagEnd::Image) => *depth -= 1,
                        _ => {}
                    }
                    inner.push(other);
                }
            }
            continue;
        }
        match ev {
            Event::Start(tag @ Tag::Image { .. }) => image = Some((tag, Vec::new(), 0)),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = match root_relative(&dest_url, body.base_path) {
                    Some(url) => url.into(),
                    None => dest_url,
                };
                out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            Event::Start(Tag::HtmlBlock) => {
                block = Some(String::new());
                out.push(Event::Start(Tag::HtmlBlock));
            }
            Event::Html(h) => match &mut block {
                Some(b) => b.push_str(&h),
                None => out.push(Event::Html(rewrite_html(&h, body).into())),
            },
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(b) = block.take() {
                    out.push(Event::Html(rewrite_html(&b, body).into()));
                }
                out.push(Event::End(TagEnd::HtmlBlock));
            }
            Event::InlineHtml(h) => out.push(Event::InlineHtml(rewrite_html(&h, body).into())),
            marker @ Event::TaskListMarker(_) => {
                out.push(Event::InlineHtml("<label>".into()));
                out.push(marker);
                task_label = true;
            }
            other => out.push(other),
        }
    }
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_events().into_iter());
    let html = if raw_html { sanitizer().clean(&html).to_string() } else { html };
    if pictures.is_empty() {
        html
    } else {
        fill_markers(&html, &pictures)
    }
}

/// Whether `ev` must come after a task's `</label>`: the end of its item or
/// paragraph, or the start of a block, which a label (phrasing content only)
/// may not hold. Inline markup (emphasis, links, code) stays inside.
fn ends_task_label(ev: &Event) -> bool {
    match ev {
        Event::End(TagEnd::Item | TagEnd::Paragraph) | Event::Rule => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::List(_)
                | Tag::Item
                | Tag::FootnoteDefinition(_)
                | Tag::Table(_)
                | Tag::DefinitionList
                | Tag::MetadataBlock(_)
        ),
        _ => false,
    }
}

const MARK_OPEN: char = '\u{e000}';
const MARK_CLOSE: char = '\u{e001}';

/// Replaces each marker `\u{e000}N\u{e001}` with picture N.
fn fill_markers(html: &str, pictures: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + pictures.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(i) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + MARK_OPEN.len_utf8()..];
        let n = after.find(MARK_CLOSE).and_then(|j| Some((after[..j].parse::<usize>().ok()?, j)));
        match n.and_then(|(n, j)| Some((pictures.get(n)?, j))) {
            Some((p, j)) => {
                out.push_str(p);
                rest = &after[j + MARK_CLOSE.len_utf8()..];
            }
            None => {
                out.push(MARK_OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A Markdown image, its alt events collected: as a `<picture>` when the
/// plan has one, else as pulldown-cmark writes it, its URL under the base
/// path when local.
fn finish_image<'a>(
    tag: Tag<'a>,
    inner: Vec<Event<'a>>,
    body: &Body,
    markers: bool,
    pictures: &mut Vec<String>,
    out: &mut Headings<'a>,
) {
    let Tag::Image { link_type, dest_url, title, id } = tag else { return };
    let local = match local_path(&dest_url) {
        Local::Path(p) => p,
        _ => {
            out.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            inner.into_iter().for_each(|e| out.push(e));
            out.push(Event::End(TagEnd::Image));
            return;
        }
    };
    match (body.picture)(&local) {
        Some(p) => {
            let alt: String = inner
                .iter()
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    Event::SoftBreak | Event::HardBreak => Some(" "),
                    _ => None,
                })
                .collect();
            let markup = picture_html(&p, &alt, &title, body.lead.replace(false));
            if markers {
                out.push(Event::Html(format!("{MARK_OPEN}{}{MARK_CLOSE}", pictures.len()).into()));
                pictures.push(markup);
            } else {
                out.push(Event::Html(markup.into()));
            }
        }
        None => {
            let dest_url = local_url(body.base_path, &local, &dest_url).into();
            out.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            inner.into_iter().for_each(|e| out.push(e));
            out.push(Event::End(TagEnd::Image));
        }
    }
}

/// A resized image: `<picture>` with WebP and fallback `srcset`s (an SVG:
/// a plain `<img>`), sized, lazy unless it `lead`s the page.
pub fn picture_html(p: &crate::media::Picture, alt: &str, title: &str, lead: bool) -> String {
    use crate::text::escape_xml as e;
    let title = if title.is_empty() { String::new() } else { format!(" title=\"{}\"", e(title)) };
    let load = if lead { "fetchpriority=\"high\"" } else { "loading=\"lazy\" decoding=\"async\"" };
    let tail = format!("width=\"{}\" height=\"{}\" alt=\"{}\"{title} {load}>", p.width, p.height, e(alt));
    if p.svg || p.srcset.is_empty() {
        return format!("<img src=\"{}\" {tail}", e(&p.src));
    }
    let source = if p.webp_srcset.is_empty() {
        String::new()
    } else {
        format!("<source type=\"image/webp\" srcset=\"{}\" sizes=\"{BODY_SIZES}\">", e(&p.webp_srcset))
    };
    format!(
        "<picture>{source}<img src=\"{}\" srcset=\"{}\" sizes=\"{BODY_SIZES}\" {tail}</picture>",
        e(&p.src),
        e(&p.srcset)
    )
}

/// `/stories/ana/` under the base path; None for every other link (and for
/// one already under the base path).
fn root_relative(url: &str, base_path: &str) -> Option<String> {
    let rest = url.strip_prefix('/')?;
    if rest.starts_with('/') || rest.starts_with('\\') || base_path == "/" || url.starts_with(base_path) {
        return None;
    }
    Some(format!("{base_path}{rest}"))
}

/// Raw HTML with each local `<img src>` pointing at the published file: the
/// plan's resized one (with its `width` and `height` when the tag gives
/// neither), else the file under the base path; and each root-relative
/// `<a href>` under the base path, as Markdown links are. The sanitiser
/// runs after.
fn rewrite_html(h: &str, body: &Body) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for tag in scan_tags(h) {
        if tag.name == "a" {
            let href = tag.attr("href").and_then(|a| Some((a.range.clone(), a.value.clone()?)));
            if let Some((range, value)) = href {
                if let Some(url) = root_relative(&decode_entities(&h[value]), body.base_path) {
                    edits.push((range, format!("href=\"{}\"", crate::text::escape_xml(&url))));
                }
            }
            continue;
        }
        if tag.name != "img" {
            continue;
        }
        let Some(src) = tag.attr("src") else { continue };
        let Some(value) = src.value.clone() else { continue };
        let written = decode_entities(&h[value]);
        let Local::Path(path) = local_path(&written) else { continue };
        let new = match (body.picture)(&path) {
            Some(p) => {
                let sized = tag.attr("width").is_some() || tag.attr("height").is_some();
                let size =
                    if sized { String::new() } else { format!(" width=\"{}\" height=\"{}\"", p.width, p.height) };
                format!("src=\"{}\"{size}", crate::text::escape_xml(&p.src))
            }
            None => format!("src=\"{}\"", crate::text::escape_xml(&local_url(body.base_path, &path, &written))),
        };
        edits.push((src.range.clone(), new));
    }
    if edits.is_empty() {
        return h.to_string();
    }
    let mut out = String::with_capacity(h.len() + 64 * edits.len());
    let mut at = 0;
    for (range, new) in edits {
        out.push_str(&h[at..range.start]);
        out.push_str(&new);
        at = range.end;
    }
    out.push_str(&h[at..]);
    out
}

/// Events on their way to HTML: headings are collected and written with an
/// id (unique in the document) and a `#` link; footnote definitions are set
/// aside and come last, in one `<section class="footnotes">`, wherever the
/// writer put them (Markdown lets them stand anywhere; a reader expects
/// them at the end).
#[derive(Default)]
struct Headings<'a> {
    events: Vec<Event<'a>>,
    used: BTreeMap<String, usize>,
    heading: Option<(HeadingLevel, Option<CowStr<'a>>, Vec<Event<'a>>)>,
    notes: Vec<Event<'a>>,
    /// How deep inside footnote definitions the events are.
    in_note: usize,
    /// The `aria-label`s of a heading's `#` link and of the notes' section.
    anchor_label: String,
    notes_label: String,
}

impl<'a> Headings<'a> {
    /// Every event in document order, the footnotes at the end.
    fn into_events(mut self) -> Vec<Event<'a>> {
        if !self.notes.is_empty() {
            let label = crate::text::escape_xml(&self.notes_label);
            self.events.push(Event::Html(format!(r#"<section class="footnotes" aria-label="{label}">"#).into()));
            self.events.append(&mut self.notes);
            self.events.push(Event::Html("</section>\n".into()));
        }
        self.events
    }

    fn push(&mut self, ev: Event<'a>) {
        if self.in_note > 0 || matches!(ev, Event::Start(Tag::FootnoteDefinition(_))) {
            match ev {
                Event::Start(Tag::FootnoteDefinition(_)) => self.in_note += 1,
                Event::End(TagEnd::FootnoteDefinition) => self.in_note -= 1,
                _ => {}
            }
            self.notes.push(ev);
            return;
        }
        match ev {
            Event::Start(Tag::Heading { level, id, .. }) => self.heading = Some((level, id, Vec::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, inner)) = self.heading.take() {
                    let text: String = inner.iter().filter_map(text_of).collect();
                    let base = id.map(|i| i.to_string()).unwrap_or_else(|| crate::text::slugify(&text));
                    let base = if base.is_empty() { "section".to_string() } else { base };
                    let n = self.used.entry(base.clone()).or_insert(0);
                    let anchor = if *n == 0 { base.clone() } else { format!("{base}-{n}") };
                    *n += 1;
                    let mut inner_html = String::new();
                    pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                    self.events.push(Event::Html(CowStr::from(format!(
                        "<{level} id=\"{a}\">{inner_html} <a class=\"anchor\" href=\"#{a}\" aria-label=\"{l}\">#</a></{level}>\n",
                        a = crate::text::escape_xml(&anchor),
                        l = crate::text::escape_xml(&self.anchor_label)
                    ))));
                }
            }
            other => match &mut self.heading {
                Some((_, _, inner)) => inner.push(other),
                None => self.events.push(other),
            },
        }
    }
}

/// Raw HTML of one block (its lines joined) or one inline tag, with where
/// each piece starts in the Markdown.
#[derive(Debug, Default)]
struct Chunk {
    text: String,
    /// (offset in `text`, offset in the Markdown), by offset.
    pieces: Vec<(usize, usize)>,
}

impl Chunk {
    fn of(h: &str, at: usize) -> Chunk {
        Chunk { text: h.to_string(), pieces: vec![(0, at)] }
    }

    fn push(&mut self, h: &str, at: usize) {
        self.pieces.push((self.text.len(), at));
        self.text.push_str(h);
    }

    fn md_offset(&self, i: usize) -> usize {
        let k = self.pieces.partition_point(|(start, _)| *start <= i).saturating_sub(1);
        let (start, md) = self.pieces.get(k).copied().unwrap_or((0, 0));
        md + (i - start)
    }

    fn md_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.md_offset(r.start);
        start..self.md_offset(r.end).max(start)
    }
}

/// An opening tag in raw HTML.
#[derive(Debug)]
struct HtmlTag {
    /// Lower case.
    name: String,
    /// Of `<`.
    start: usize,
    /// After the name.
    name_end: usize,
    attrs: Vec<HtmlAttr>,
}

#[derive(Debug)]
struct HtmlAttr {
    /// Lower case.
    name: String,
    /// The whole attribute, `name="value"`.
    range: Range<usize>,
    /// The value, inside its quotes.
    value: Option<Range<usize>>,
}

impl HtmlTag {
    fn attr(&self, name: &str) -> Option<&HtmlAttr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// The opening tags of some raw HTML, skipping comments, closing tags,
/// declarations and the insides of `<script>` and `<style>` (which the
/// sanitiser drops whole). A small scanner, not a parser: enough to find
/// `<img src>` and embeds where a writer put them.
fn scan_tags(h: &str) -> Vec<HtmlTag> {
    let b = h.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    let skip_to = |from: usize, pat: &str| h[from..].find(pat).map_or(h.len(), |k| from + k + pat.len());
    while let Some(k) = h[i..].find('<') {
        let start = i + k;
        let rest = &h[start..];
        if rest.starts_with("<!--") {
            i = skip_to(start + 4, "-->");
            continue;
        }
        if rest.starts_with("</") || rest.starts_with("<!") || rest.starts_with("<?") {
            i = skip_to(start + 1, ">");
            continue;
        }
        if !b.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let mut j = start + 1;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let name = h[start + 1..j].to_ascii_lowercase();
        let name_end = j;
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                j = (j + 1).min(b.len());
                break;
            }
            let a_start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            if j == a_start {
                // A stray `=`: skip it.
                j += 1;
                continue;
            }
            let a_name = h[a_start..j].to_ascii_lowercase();
            let mut k = j;
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            let mut value = None;
            if k < b.len() && b[k] == b'=' {
                k += 1;
                while k < b.len() && b[k].is_ascii_whitespace() {
                    k += 1;
                }
                if k < b.len() && (b[k] == b'"' || b[k] == b'\'') {
                    let q = b[k] as char;
                    let v_start = k + 1;
                    let v_end = h[v_start..].find(q).map_or(h.len(), |e| v_start + e);
                    value = Some(v_start..v_end);
                    j = (v_end + 1).min(h.len());
                } else {
                    let v_start = k;
                    while k < b.len() && !b[k].is_ascii_whitespace() && b[k] != b'>' {
                        k += 1;
                    }
                    value = Some(v_start..k);
                    j = k;
                }
            }
            attrs.push(HtmlAttr { name: a_name, range: a_start..j, value });
        }
        i = j;
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = h[i..].to_ascii_lowercase().find(&close).map_or(h.len(), |k| i + k);
        }
        tags.push(HtmlTag { name, start, name_end, attrs });
    }
    tags
}

/// The few character references a path or alt text is likely to hold.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// The sanitiser for bodies with raw HTML: ammonia's safe defaults, plus
/// what pulldown-cmark itself writes (heading ids and anchors, footnotes,
/// task-list checkboxes and their labels, table cell alignment), and `data:` URLs only as
/// image sources.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.link_rel(None)
            .url_schemes(["http", "https", "mailto", "tel", "data"].into_iter().collect())
            .add_tags(["input", "label", "section"])
            .add_tag_attributes("section", ["class", "aria-label"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("a", ["class", "aria-label"])
            .add_tag_attributes("div", ["class", "id"])
            .add_tag_attributes("sup", ["class"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                ("img", "src") if value.trim_start().to_ascii_lowercase().starts_with("data:image/") => {
                    Some(value.into())
                }
                (_, "src" | "href") if is_unsafe_url(value) => None,
                ("input", "type") => (value == "checkbox").then(|| value.into()),
                ("th" | "td", "style") => {
                    let align = ["left", "center", "right"].iter().find(|a| value == format!("text-align: {a}"));
                    align.map(|_| value.into())
                }
                _ => Some(value.into()),
            });
        for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
            b.add_tag_attributes(h, ["id"]);
        }
        b
    })
}

fn text_of<'a>(e: &'a Event) -> Option<&'a str> {
    match e {
        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
        _ => None,
    }
}

/// Markdown links and images with unsafe targets point at `#`.
fn neutralise_urls(ev: Event) -> Event {
    match ev {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if is_unsafe_url(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: "#".into(), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if is_unsafe_url(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: "#".into(), title, id })
        }
        other => other,
    }
}

/// HTML from elsewhere (an ATS's job description) made safe as a body's
/// raw HTML is: scripts, styles, event handlers and unsafe links removed.
pub fn sanitize_html(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

/// The text of (sanitised) HTML, for a description: tags dropped, the
/// common entities decoded, whitespace collapsed, cut to `max_chars`.
pub fn plain_text_of_html(html: &str, max_chars: usize) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    crate::text::truncate_chars(&text, max_chars)
}

/// The body as plain text (for descriptions and excerpts), without headings.
pub fn plain_text(md: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut in_heading = false;
    for ev in Parser::new_ext(md, options()) {
        match ev {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if !in_heading => {
                out.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
        if out.len() > max_chars * 4 {
            break;
        }
    }
    crate::text::truncate_chars(&out, max_chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_sanitised() {
        let html = to_html("Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n");
        assert!(!html.contains("<script") && !html.contains("alert(1)</"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(html.contains("<img src=\"/x\">"), "a safe image stays (a local one under the base path): {html}");
        let html = to_html(concat!(
            "<details><summary>More</summary>Shown <b>bold</b> H<sub>2</sub>O</details>\n\n",
            "<a href=\"javascript:alert(1)\" onclick=\"x()\">a</a> <a href=\" data:text/html,x\">b</a> ",
            "<img src=\"data:image/png;base64,AAAA\" alt=\"dot\"> <iframe src=\"https://evil.example\"></iframe>",
            "<style>body{display:none}</style><form action=\"/x\"><input type=\"text\"></form>",
            "<svg onload=\"alert(1)\"></svg><p style=\"position:fixed\">p</p>\n"
        ));
        for kept in
            ["<details><summary>More</summary>", "<b>bold</b>", "<sub>2</sub>", "src=\"data:image/png;base64,AAAA\""]
        {
            assert!(html.contains(kept), "{kept} should stay: {html}");
        }
        let lower = html.to_lowercase();
        for gone in [
            "javascript:",
            "onclick",
            "data:text",
            "<iframe",
            "<style",
            "<form",
            "type=\"text\"",
            "<svg",
            "onload",
            "position:fixed",
        ] {
            assert!(!lower.contains(gone), "{gone} should go: {html}");
        }
    }

    #[test]
    fn sanitising_keeps_what_markdown_writes() {
        let md = "## Head\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n\nNote[^1] <kbd>Ctrl</kbd>\n\n[^1]: A footnote.\n";
        let html = to_html(md);
        for kept in [
            "<h2 id=\"head\">",
            "class=\"anchor\"",
            "aria-label=",
            "style=\"text-align: left\"",
            "type=\"checkbox\"",
            "class=\"footnote-definition\"",
            "<kbd>Ctrl</kbd>",
        ] {
            assert!(html.contains(kept), "{kept}: {html}");
        }
    }

    #[test]
    fn javascript_links_are_neutralised() {
        let html =
            to_html("[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(1)) ![i](data:text/html,hi) [ok](https://a.org)");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains("https://a.org"));
    }

    #[test]
    fn extensions_and_anchors() {
        let md = "## How did you get in?\n\n## How did you get in?\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~no~~\n\n- [x] done\n- [ ] to do\n\nNote[^1]\n\n[^1]: A footnote.\n";
        let html = to_html(md);
        assert!(html.contains("<h2 id=\"how-did-you-get-in\">"), "{html}");
        assert!(html.contains("id=\"how-did-you-get-in-1\""), "{html}");
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>"));
        assert!(html.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\"/>"), "{html}");
        assert!(html.contains("class=\"footnote-definition\""), "{html}");
    }

    #[test]
    fn footnotes_come_last_wherever_they_are_written() {
        let md =
            "One[^a] and two[^b].\n\n[^a]: First note.\n\n## Later\n\nMore text.\n\n[^b]: Second *note*.\n\nThe end.\n";
        for html in [to_html(md), to_html(&format!("{md}\n<kbd>raw</kbd>\n"))] {
            let notes = html.find("<section class=\"footnotes\" aria-label=\"Notes\">").expect(&html);
            assert!(html.find("The end.").expect(&html) < notes, "{html}");
            assert!(html.find("First note.").expect(&html) > notes, "{html}");
            assert!(html.find("Second <em>note</em>").expect(&html) > notes, "{html}");
            assert_eq!(html.matches("footnote-definition\"").count(), 2, "{html}");
            assert!(html.trim_end().ends_with("</section>"), "{html}");
        }
        assert!(!to_html("No notes.\n").contains("footnotes"));
    }

    #[test]
    fn task_checkboxes_are_named_by_their_text() {
        let md = "- [x] done *well*\n- [ ] to do\n  - nested\n\n1. [ ] loose\n\n   more\n";
        for html in [to_html(md), to_html(&format!("{md}\n<kbd>raw</kbd>\n"))] {
            // The sanitiser writes `<input ...>` where pulldown-cmark writes `<input .../>`.
            assert!(html.contains("<label><input disabled=\"\" type=\"checkbox\" checked=\"\""), "{html}");
            assert!(html.contains("\ndone <em>well</em></label>"), "{html}");
            assert!(html.contains("to do</label>\n<ul>"), "the label closes before a nested list: {html}");
            assert!(html.contains("loose</label></p>"), "{html}");
            assert_eq!(html.matches("<label>").count(), 3, "{html}");
            assert_eq!(html.matches("</label>").count(), 3, "{html}");
        }
    }

    fn pic(path: &str) -> Option<crate::media::Picture> {
        let svg = path.ends_with(".svg");
        (path.starts_with("img/") && !path.contains("plain")).then(|| crate::media::Picture {
            src: format!("/careers/{path}.800.jpg"),
            width: 800,
            height: 600,
            srcset: if svg {
                String::new()
            } else {
                format!("/careers/{path}.480.jpg 480w, /careers/{path}.800.jpg 800w")
            },
            webp_srcset: if svg {
                String::new()
            } else {
                format!("/careers/{path}.480.webp 480w, /careers/{path}.800.webp 800w")
            },
            mime: if svg { "image/svg+xml" } else { "image/jpeg" },
            svg,
            full: format!("{path}.800.jpg"),
            full_width: 800,
            position: String::new(),
            webp: String::new(),
            full_height: 600,
        })
    }

    fn careers(md: &str) -> String {
        let words = crate::i18n::Words::english();
        to_html_with(md, &Body { base_path: "/careers/", picture: &pic, lead: false.into(), words })
    }

    #[test]
    fn body_images_are_found_with_their_spans() {
        let md = concat!(
            "Hi ![Ana *at* work](img/ana.jpg \"Ana\") and ![](/img/b%20c.png?v=2#x).\n\n",
            "![remote](https://a.org/x.jpg) ![proto](//cdn.org/x.jpg) ![d](data:image/png;base64,AA) ",
            "![ref][pic] ![mail](mailto:a@b.c)\n\n",
            "<div>\n<p>text</p>\n<IMG alt=\"raw &amp; \nmore\" SRC='./img/../img/raw.jpg'>\n</div>\n\n",
            "Inline <img src=img/inline.gif> and `<img src=\"img/code.jpg\">`\n\n",
            "    <img src=\"img/indented-code.jpg\">\n\n",
            "<!-- <img src=\"img/comment.jpg\"> -->\n\n",
            "![up](../secret.jpg) ![up](img/../../x.jpg) ![esc](img/a\\_b.jpg)\n\n",
            "[pic]: <img/from ref.jpg>\n",
        );
        let refs = image_refs(md);
        let got: Vec<(&str, &str, &str)> =
            refs.local.iter().map(|i| (i.path.as_str(), &md[i.span.clone()], i.alt.as_str())).collect();
        assert_eq!(
            got,
            [
                ("img/ana.jpg", "img/ana.jpg", "Ana at work"),
                ("img/b c.png", "/img/b%20c.png?v=2#x", ""),
                ("img/from ref.jpg", "img/from ref.jpg", "ref"),
                ("img/raw.jpg", "./img/../img/raw.jpg", "raw & \nmore"),
                ("img/inline.gif", "img/inline.gif", ""),
                ("img/a_b.jpg", "img/a\\_b.jpg", "esc"),
            ]
        );
        let outside: Vec<(&str, &str)> = refs.outside.iter().map(|(u, s)| (u.as_str(), &md[s.clone()])).collect();
        assert_eq!(outside, [("../secret.jpg", "../secret.jpg"), ("img/../../x.jpg", "img/../../x.jpg")]);
        assert_eq!(body_images(md).len(), 6);
        assert!(body_images("No images, no markup.").is_empty());
    }

    #[test]
    fn local_paths_are_under_static() {
        assert_eq!(local_path("img/x.jpg"), Local::Path("img/x.jpg".into()));
        assert_eq!(local_path("/img/x.jpg"), Local::Path("img/x.jpg".into()));
        assert_eq!(local_path("./img//x.jpg?w=1"), Local::Path("img/x.jpg".into()));
        assert_eq!(local_path("img/%2e%2e/%2e%2e/etc/passwd"), Local::Outside);
        assert_eq!(local_path("img\\..\\..\\x.jpg"), Local::Outside);
        for remote in ["https://a.org/x.jpg", "HTTP://a", "//a.org/x", "data:image/png,", "mailto:a@b", "#top", "", "/"]
        {
            assert_eq!(local_path(remote), Local::Remote, "{remote}");
        }
    }

    #[test]
    fn local_images_become_pictures_under_the_base_path() {
        let html = careers("![Ana & co](img/ana.jpg 'At \"work\"')\n");
        assert_eq!(
            html,
            concat!(
                "<p><picture><source type=\"image/webp\" srcset=\"/careers/img/ana.jpg.480.webp 480w, /careers/img/ana.jpg.800.webp 800w\" ",
                "sizes=\"(max-width: 760px) calc(100vw - 32px), 42em\">",
                "<img src=\"/careers/img/ana.jpg.800.jpg\" srcset=\"/careers/img/ana.jpg.480.jpg 480w, /careers/img/ana.jpg.800.jpg 800w\" ",
                "sizes=\"(max-width: 760px) calc(100vw - 32px), 42em\" width=\"800\" height=\"600\" ",
                "alt=\"Ana &amp; co\" title=\"At &quot;work&quot;\" loading=\"lazy\" decoding=\"async\"></picture></p>\n"
            )
        );
        // Root-relative means the same file; an SVG is a sized <img>.
        let html = careers("![logo](/img/logo.svg)");
        assert!(
            html.contains("<img src=\"/careers/img/logo.svg.800.jpg\" width=\"800\" height=\"600\" alt=\"logo\""),
            "{html}"
        );
        assert!(!html.contains("<picture"), "{html}");
        // Without a picture: the file under the base path, as pulldown-cmark writes it.
        let html = careers("![p](plain/a%20b.png?v=1) ![r](https://a.org/x.jpg)");
        assert!(html.contains("<img src=\"/careers/plain/a%20b.png?v=1\" alt=\"p\" />"), "{html}");
        assert!(html.contains("<img src=\"https://a.org/x.jpg\" alt=\"r\" />"), "{html}");
        // The default: the site root, no pictures.
        assert!(to_html("![a](img/a.jpg)").contains("src=\"/img/a.jpg\""));
    }

    #[test]
    fn pictures_survive_sanitising_but_writers_cannot_forge_them() {
        let md = concat!(
            "![Ana](img/ana.jpg) <b>bold</b>\n\n",
            "<picture><source srcset=\"javascript:alert(1)\" type=\"image/webp\"><img src=\"https://evil.example/x.jpg\" ",
            "srcset=\"https://evil.example/y.jpg 2x\" loading=\"eager\" onerror=\"alert(1)\"></picture>\n\n",
            "<img src=\"img/raw.jpg\" alt=\"raw\"> <img src=\"/img/sized.jpg\" width=\"10\"> <img src=\"plain/p.jpg\">\n"
        );
        let html = careers(md);
        assert!(html.contains("<picture><source type=\"image/webp\" srcset=\"/careers/img/ana.jpg.480.webp"), "{html}");
        assert!(html.contains("<b>bold</b>"), "{html}");
        for gone in ["javascript:", "evil.example/y.jpg", "eager", "onerror", "\u{e000}"] {
            assert!(!html.contains(gone), "{gone} should go: {html}");
        }
        assert_eq!(html.matches("<picture>").count(), 1, "only the generated one: {html}");
        assert_eq!(html.matches("<source").count(), 1, "{html}");
        // Raw <img>: the resized file, sized unless the tag says.
        assert!(
            html.contains("<img src=\"/careers/img/raw.jpg.800.jpg\" width=\"800\" height=\"600\" alt=\"raw\">"),
            "{html}"
        );
        assert!(html.contains("<img src=\"/careers/img/sized.jpg.800.jpg\" width=\"10\">"), "{html}");
        assert!(html.contains("<img src=\"/careers/plain/p.jpg\">"), "{html}");
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let html = careers(
            "[a](/stories/ana/) [b](../benefits/) [c](/careers/roles/) [d](//x.org/) [e](#top) [f](https://a.org/)",
        );
        for href in ["/careers/stories/ana/", "../benefits/", "/careers/roles/", "//x.org/", "#top", "https://a.org/"] {
            assert!(html.contains(&format!("href=\"{href}\"")), "{href}: {html}");
        }
        assert!(!html.contains("/careers/careers/"), "{html}");
        assert!(to_html("[a](/stories/ana/)").contains("href=\"/stories/ana/\""));
        // Raw HTML links too, and only root-relative ones.
        let html =
            careers("See <a href=\"/benefits/\">benefits</a>, <a href='../x/'>x</a>, <a href=\"//x.org/\">y</a>.");
        assert!(html.contains("href=\"/careers/benefits/\""), "{html}");
        assert!(html.contains("href=\"../x/\"") && html.contains("href=\"//x.org/\""), "{html}");
    }

    #[test]
    fn removed_embeds_are_found_in_raw_html_only() {
        let md = concat!(
            "Watch:\n\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n\n",
            "Inline <VIDEO controls src=\"a.mp4\"></VIDEO> and <audio src=a.mp3>.\n\n",
            "`<iframe>` in code, <!-- <embed> --> in a comment\n\n",
            "```\n<object data=x></object>\n```\n\n",
            "<div>\n<object data=\"x.swf\"><embed src=\"x.swf\"></object>\n</div>\n",
        );
        let found: Vec<(String, &str)> = removed_embeds(md).into_iter().map(|(t, s)| (t, &md[s])).collect();
        assert_eq!(
            found,
            [
                ("iframe".to_string(), "<iframe"),
                ("video".to_string(), "<VIDEO"),
                ("audio".to_string(), "<audio"),
                ("object".to_string(), "<object"),
                ("embed".to_string(), "<embed"),
            ]
        );
        let at = md.find("<iframe").unwrap();
        assert_eq!(removed_embeds(md)[0].1, at..at + 7);
        assert!(removed_embeds("no html").is_empty());
    }

    #[test]
    fn plain_text_skips_headings() {
        assert_eq!(plain_text("# Title\n\nFirst *para*.\n\nSecond.", 100), "First para. Second.");
    }
}
