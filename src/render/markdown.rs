//! Markdown bodies to HTML: CommonMark with tables, footnotes, strikethrough,
//! task lists and heading anchors.
//!
//! Safety by default: raw HTML in a body is shown as text, never executed,
//! and links or images with a `javascript:`, `vbscript:` or `data:` URL are
//! neutralised. (A story is written by a careers team, often pasted from
//! elsewhere; it must not be able to run code on the company's domain.)

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;

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

/// Renders a body. Headings get ids (unique in the document) and a `#` link.
pub fn to_html(md: &str) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut heading: Option<(HeadingLevel, Option<CowStr>, Vec<Event>)> = None;
    for ev in Parser::new_ext(md, options()) {
        let ev = sanitize(ev);
        match ev {
            Event::Start(Tag::Heading { level, id, .. }) => heading = Some((level, id, Vec::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, inner)) = heading.take() {
                    let text: String = inner.iter().filter_map(text_of).collect();
                    let base = id.map(|i| i.to_string()).unwrap_or_else(|| crate::text::slugify(&text));
                    let base = if base.is_empty() { "section".to_string() } else { base };
                    let n = used.entry(base.clone()).or_insert(0);
                    let anchor = if *n == 0 { base.clone() } else { format!("{base}-{n}") };
                    *n += 1;
                    let mut inner_html = String::new();
                    pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                    events.push(Event::Html(CowStr::from(format!(
                        "<{level} id=\"{a}\">{inner_html} <a class=\"anchor\" href=\"#{a}\" aria-label=\"Link to this section\">#</a></{level}>\n",
                        a = crate::text::escape_xml(&anchor)
                    ))));
                }
            }
            other => match &mut heading {
                Some((_, _, inner)) => inner.push(other),
                None => events.push(other),
            },
        }
    }
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

fn text_of<'a>(e: &'a Event) -> Option<&'a str> {
    match e {
        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
        _ => None,
    }
}

/// Raw HTML becomes visible text; unsafe link targets become `#`.
fn sanitize(ev: Event) -> Event {
    match ev {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if is_unsafe_url(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: "#".into(), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if is_unsafe_url(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: "#".into(), title, id })
        }
        other => other,
    }
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
    fn raw_html_is_not_executed() {
        let html = to_html("Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
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
    fn plain_text_skips_headings() {
        assert_eq!(plain_text("# Title\n\nFirst *para*.\n\nSecond.", 100), "First para. Second.");
    }
}
