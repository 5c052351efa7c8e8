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
    let mut raw_html = false;
    for ev in Parser::new_ext(md, options()) {
        raw_html |= matches!(ev, Event::Html(_) | Event::InlineHtml(_));
        let ev = neutralise_urls(ev);
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
    if raw_html {
        sanitizer().clean(&html).to_string()
    } else {
        html
    }
}

/// The sanitiser for bodies with raw HTML: ammonia's safe defaults, plus
/// what pulldown-cmark itself writes (heading ids and anchors, footnotes,
/// task-list checkboxes, table cell alignment), and `data:` URLs only as
/// image sources.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.link_rel(None)
            .url_schemes(["http", "https", "mailto", "tel", "data"].into_iter().collect())
            .add_tags(["input"])
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
        assert!(html.contains("<img src=\"x\">"), "a safe image stays: {html}");
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
    fn plain_text_skips_headings() {
        assert_eq!(plain_text("# Title\n\nFirst *para*.\n\nSecond.", 100), "First para. Second.");
    }
}
