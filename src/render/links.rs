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

/// Rewrites `href="{base}…"` and `src="{base}…"` to start with `prefix`.
pub fn relativize(html: &str, base_path: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some((attr_len, at)) = find_attr(rest, base_path) {
        out.push_str(&rest[..at + attr_len]);
        out.push_str(prefix);
        rest = &rest[at + attr_len + base_path.len()..];
    }
    out.push_str(rest);
    out
}

/// The next `href="{base}` or `src="{base}` (not `//host`): (attribute length, index).
fn find_attr(s: &str, base: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let h = s[from..].find("href=\"").map(|i| (6, from + i));
        let r = s[from..].find("src=\"").map(|i| (5, from + i));
        let (len, at) = match (h, r) {
            (Some(a), Some(b)) => {
                if a.1 < b.1 {
                    a
                } else {
                    b
                }
            }
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => return None,
        };
        let value = &s[at + len..];
        if value.starts_with(base) && !value[base.len()..].starts_with('/') && !(base == "/" && value.starts_with("//"))
        {
            return Some((len, at));
        }
        from = at + len;
    }
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
        let html = r#"<a href="/careers/roles/x/">x</a><img src="/careers/img/a.png"><a href="https://e.org/careers/">e</a><p>href=&quot;/careers/</p><a href="/other/">o</a>"#;
        let out = relativize(html, "/careers/", "../../");
        assert_eq!(
            out,
            r#"<a href="../../roles/x/">x</a><img src="../../img/a.png"><a href="https://e.org/careers/">e</a><p>href=&quot;/careers/</p><a href="/other/">o</a>"#
        );
    }

    #[test]
    fn root_base_leaves_protocol_relative_links() {
        let out = relativize(r#"<a href="//cdn.example/x">c</a><a href="/stories/">s</a>"#, "/", "./");
        assert_eq!(out, r#"<a href="//cdn.example/x">c</a><a href="./stories/">s</a>"#);
    }
}
