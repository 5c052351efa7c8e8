//! Page-relative links. Templates link by site path (`/careers/roles/x/`);
//! each rendered page then rewrites them relative to itself
//! (`../../roles/x/`), so the output works under any subpath, on any host,
//! and opened straight from disk. Only attribute values that start with the
//! base path are touched: text is escaped (`&quot;`), so it never matches.

/// `../` repeated once per folder of the page's site path (`stories/ana/` -> `../../`).
pub fn prefix(page_path: &str) -> String {
    let depth = page_path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// Rewrites `href="{base}…"`, `src="{base}…"` and `poster="{base}…"` (of a
/// `<video>`) to start with `prefix`, and each such candidate of a `srcset`.
/// One forward pass over the page, searching for `"` followed by the base
/// path (the candidates), not for every attribute: story pages carry maps
/// with thousands of attributes and only a few dozen links.
pub fn relativize(html: &str, base_path: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let needle = format!("\"{base_path}");
    let bytes = html.as_bytes();
    let mut copied = 0;
    let mut from = 0;
    while let Some(i) = html[from..].find(&needle) {
        let quote = from + i;
        from = quote + 1;
        let value_at = quote + 1;
        if quote == 0 || bytes[quote - 1] != b'=' {
            continue;
        }
        let name = &html[..quote - 1];
        let is_link = name.ends_with(" href") || name.ends_with(" src") || name.ends_with(" poster");
        let rest = &html[value_at + base_path.len()..];
        // `//host/...` is another site, even when the base path is `/`.
        if is_link && !rest.starts_with('/') {
            out.push_str(&html[copied..value_at]);
            out.push_str(prefix);
            copied = value_at + base_path.len();
        } else if name.ends_with(" srcset") {
            // Several candidates, `url 240w, url 480w`: each that starts
            // with the base path.
            let Some(len) = html[value_at..].find('"') else { continue };
            let value = &html[value_at..value_at + len];
            out.push_str(&html[copied..value_at]);
            for (k, candidate) in value.split(", ").enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                match candidate.strip_prefix(base_path) {
                    Some(r) if !r.starts_with('/') => {
                        out.push_str(prefix);
                        out.push_str(r);
                    }
                    _ => out.push_str(candidate),
                }
            }
            copied = value_at + len;
            from = copied;
        }
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_by_depth() {
        assert_eq!(prefix(""), "./");
        assert_eq!(prefix("stories/"), "../");
        assert_eq!(prefix("stories/ana/"), "../../");
    }

    #[test]
    fn rewrites_only_internal_attribute_links() {
        let html = r#"<a href="/careers/roles/x/">x</a><video poster="/careers/img/p.jpg"></video><img src="/careers/img/a.png"><a href="https://e.org/careers/">e</a><p>href=&quot;/careers/</p><a href="/other/">o</a>"#;
        let out = relativize(html, "/careers/", "../../");
        assert_eq!(
            out,
            r#"<a href="../../roles/x/">x</a><video poster="../../img/p.jpg"></video><img src="../../img/a.png"><a href="https://e.org/careers/">e</a><p>href=&quot;/careers/</p><a href="/other/">o</a>"#
        );
    }

    #[test]
    fn every_candidate_of_a_srcset_is_rewritten() {
        let html = r#"<source srcset="/careers/img/a.1.webp 240w, /careers/img/a.2.webp 480w, https://x.org/b.webp 2x"><img src="/careers/img/a.jpg">"#;
        assert_eq!(
            relativize(html, "/careers/", "../"),
            r#"<source srcset="../img/a.1.webp 240w, ../img/a.2.webp 480w, https://x.org/b.webp 2x"><img src="../img/a.jpg">"#
        );
    }

    #[test]
    fn root_base_leaves_protocol_relative_links() {
        let out = relativize(r#"<a href="//cdn.example/x">c</a><a href="/stories/">s</a>"#, "/", "./");
        assert_eq!(out, r#"<a href="//cdn.example/x">c</a><a href="./stories/">s</a>"#);
    }
}
