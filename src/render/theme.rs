//! Themes: the built-in ones are compiled into the binary, so any site builds
//! without copying files. A site overrides them in layers, most specific
//! first: `templates/` of the site, then `themes/<name>/` of the site, then the
//! built-in theme of that name, then the built-in `horizon` (so a site-local
//! theme only needs the templates it changes).

use crate::diagnostics::{Diagnostic, Sources};
use crate::load::{list_files, read_text};
use include_dir::{include_dir, Dir};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod graph;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes");

pub const DEFAULT_THEME: &str = "horizon";

/// Names of the built-in themes.
pub fn builtin_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = BUILTIN.dirs().filter_map(|d| d.path().file_name()?.to_str()).collect();
    names.sort_unstable();
    names
}

/// Where a static file comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// The resolved theme: template texts by name, and static files by output path.
pub struct Theme {
    /// Template name -> (text, the file it came from, for error messages).
    pub templates: BTreeMap<String, (String, String)>,
    pub statics: BTreeMap<String, Source>,
    /// The image sizes the theme asks for (`theme.toml`'s `[images]`).
    pub sizes: crate::media::Sizes,
    /// The `i18n/<lang>.toml` files of every layer, least specific first.
    pub i18n: Vec<crate::i18n::File>,
    /// The words of the site's language, from `i18n` (set by [`Theme::words_for`]).
    pub words: std::sync::Arc<crate::i18n::Words>,
}

impl Theme {
    /// Merges the layers' words for `lang`; errors in the files are located.
    pub fn words_for(&mut self, lang: &str, sources: &mut Sources, errors: &mut Vec<Diagnostic>) {
        self.words = std::sync::Arc::new(crate::i18n::Words::build(&self.i18n, lang, sources, errors));
    }
}

/// The i18n files of a built-in theme (the English base of [`crate::i18n::Words::default`]).
pub fn builtin_i18n(name: &str) -> Vec<crate::i18n::File> {
    let mut theme = Theme::empty();
    if let Some(dir) = BUILTIN.get_dir(name) {
        add_embedded(&mut theme, dir, name);
    }
    theme.i18n
}

pub fn resolve(root: &Path, name: &str, errors: &mut Vec<Diagnostic>) -> Theme {
    let mut theme = Theme::empty();
    // Least specific first; later layers replace earlier entries.
    for builtin in [DEFAULT_THEME, name] {
        if let Some(dir) = BUILTIN.get_dir(builtin) {
            add_embedded(&mut theme, dir, builtin);
        }
        if let Some(f) = BUILTIN.get_file(format!("{builtin}/theme.toml")) {
            let text = String::from_utf8_lossy(f.contents());
            read_sizes(&mut theme.sizes, &format!("(built-in theme {builtin})/theme.toml"), &text, errors);
        }
    }
    let local = format!("themes/{name}");
    if root.join(&local).is_dir() {
        add_disk(&mut theme, root, &format!("{local}/templates"), &format!("{local}/static"), errors);
        add_i18n(&mut theme, root, &format!("{local}/i18n"), errors);
        let file = format!("{local}/theme.toml");
        if root.join(&file).is_file() {
            let (text, ok) = read_text(root, &file, errors);
            if ok {
                read_sizes(&mut theme.sizes, &file, &text, errors);
            }
        }
    }
    add_disk(&mut theme, root, "templates", "", errors);
    add_i18n(&mut theme, root, "i18n", errors);
    theme
}

impl Theme {
    fn empty() -> Theme {
        Theme {
            templates: BTreeMap::new(),
            statics: BTreeMap::new(),
            sizes: Default::default(),
            i18n: Vec::new(),
            words: std::sync::Arc::new(crate::i18n::Words::empty()),
        }
    }
}

/// The language of an i18n file name: `fr.toml` -> `fr`.
fn i18n_lang(rel: &str) -> Option<&str> {
    rel.strip_suffix(".toml").filter(|l| !l.is_empty() && !l.contains('/'))
}

/// A site's (or site-local theme's) `i18n/*.toml`.
fn add_i18n(theme: &mut Theme, root: &Path, dir: &str, errors: &mut Vec<Diagnostic>) {
    for rel in list_files(root, dir, errors) {
        let Some(lang) = i18n_lang(&rel) else { continue };
        let file = format!("{dir}/{rel}");
        let (text, ok) = read_text(root, &file, errors);
        if ok {
            theme.i18n.push(crate::i18n::File { name: file, lang: lang.to_string(), text });
        }
    }
}

/// `[images]` of a theme.toml: the sizes per use, like `avatar = [240, 480]`
/// (widths; the logo's are heights). Other keys are the theme's own.
fn read_sizes(sizes: &mut crate::media::Sizes, file: &str, text: &str, errors: &mut Vec<Diagnostic>) {
    use crate::media::Use;
    let mut r = crate::load::fields::Reader::new(file, 0);
    let Some(t) = r.parse(text) else {
        errors.append(&mut r.errors);
        return;
    };
    if let Some((images, _)) = r.table(&t, "images") {
        let uses = [
            ("avatar", Use::Avatar),
            ("card", Use::Card),
            ("body", Use::Body),
            ("logo", Use::Logo),
            ("poster", Use::Poster),
        ];
        r.unknown_keys(images, &uses.map(|(k, _)| k), "[images]");
        for (key, use_) in uses {
            let Some(v) = images.get(key) else { continue };
            let list: Option<Vec<u32>> = match v.get_ref() {
                toml::de::DeValue::Array(items) => items
                    .iter()
                    .map(|i| match i.get_ref() {
                        toml::de::DeValue::Integer(n) => {
                            n.as_str().parse::<u32>().ok().filter(|n| (1..=4096).contains(n))
                        }
                        _ => None,
                    })
                    .collect(),
                _ => None,
            };
            match list {
                Some(l) if !l.is_empty() => {
                    sizes.insert(use_, l);
                }
                _ => {
                    r.error(v.span(), format!("`{key}` must be a list of sizes in pixels (1 to 4096)")).hint =
                        Some(format!("write it like {key} = [240, 480]"));
                }
            }
        }
    }
    errors.append(&mut r.errors);
}

fn add_embedded(theme: &mut Theme, dir: &'static Dir<'static>, name: &str) {
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        stack.extend(d.dirs());
        for f in d.files() {
            let Ok(rel) = f.path().strip_prefix(name) else {
                continue;
            };
            let rel = crate::load::slash_path(rel);
            if let Some(t) = rel.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(f.contents()).into_owned();
                theme.templates.insert(t.to_string(), (text, format!("(built-in theme {name})/{rel}")));
            } else if let Some(s) = rel.strip_prefix("static/") {
                theme.statics.insert(s.to_string(), Source::Embedded(f.contents()));
            } else if let Some(lang) = rel.strip_prefix("i18n/").and_then(i18n_lang) {
                let text = String::from_utf8_lossy(f.contents()).into_owned();
                let name = format!("(built-in theme {name})/{rel}");
                theme.i18n.push(crate::i18n::File { name, lang: lang.to_string(), text });
            }
        }
    }
}

fn add_disk(theme: &mut Theme, root: &Path, templates: &str, statics: &str, errors: &mut Vec<Diagnostic>) {
    // `list_files` leaves out (and reports) links whose real path leaves the
    // site, so a template linked to a key is never read into pages.
    for rel in list_files(root, templates, errors) {
        let file = format!("{templates}/{rel}");
        let (text, ok) = read_text(root, &file, errors);
        if ok {
            theme.templates.insert(rel, (text, file));
        }
    }
    if !statics.is_empty() {
        for rel in list_files(root, statics, errors) {
            theme.statics.insert(rel.clone(), Source::Disk(root.join(statics).join(&rel)));
        }
    }
}

/// Compiles the templates. A syntax error names the template file, with the
/// line and column Tera reports, so it is shown like any other site error;
/// every template is parsed, so each broken one is reported. Then, before
/// Tera links them (which recurses without bound), [`graph::check`] refuses
/// loops and over-deep chains of extends, include, import and macro calls,
/// and calls of `get_env`, which Tera registers even without its default
/// features and which is removed here: the build's environment holds deploy
/// tokens. (`now`, `get_random` and the `date` filter are not compiled in, as
/// `default-features = false` leaves them out, so output stays reproducible;
/// no other built-in reads files or the clock.)
pub fn compile(theme: &Theme, sources: &mut Sources, errors: &mut Vec<Diagnostic>) -> Option<tera::Tera> {
    let mut tera = tera::Tera::default();
    for f in graph::REFUSED_FUNCTIONS {
        tera.functions.remove(*f);
    }
    // The UI words: registered before the check below, which refuses calls
    // of functions Tera does not know.
    tera.register_function("t", crate::i18n::template::Translate(theme.words.clone()));
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    // Escape the five characters that matter in HTML text and attributes;
    // Tera's default also escapes `/`, which bloats every URL.
    tera.set_escape_fn(crate::text::escape_xml);
    let mut parsed = BTreeMap::new();
    let mut failed = false;
    for (name, (text, file)) in &theme.templates {
        if let Some((at, message)) = graph::too_nested(text) {
            sources.add(file, text);
            errors.push(
                Diagnostic::at(file, at..at + 1, message)
                    .label("this one is too deep")
                    .hint("split the template into macros or includes, or flatten it"),
            );
            failed = true;
            continue;
        }
        crate::i18n::template::check_keys(text, file, &theme.words, sources, errors);
        match tera::Template::new(name, None, text) {
            Ok(t) => {
                parsed.insert(name.clone(), t);
            }
            Err(e) => {
                let e = tera::Error::chain(format!("Failed to parse '{name}'"), e);
                errors.push(template_error(theme, sources, &e));
                failed = true;
            }
        }
    }
    let before = errors.len();
    let functions: BTreeSet<&str> = tera.functions.keys().map(String::as_str).collect();
    graph::check(&parsed, &theme.templates, &functions, sources, errors);
    if failed || errors.len() > before {
        return None;
    }
    tera.templates.extend(parsed);
    if let Err(e) = tera.build_inheritance_chains().and_then(|()| tera.check_macro_files()) {
        errors.push(template_error(theme, sources, &e));
        return None;
    }
    Some(tera)
}

/// Turns Tera's parse error ("Failed to parse 'x.html'" with a cause holding
/// ` --> line:col` and `= expected ...`) into a located diagnostic.
fn template_error(theme: &Theme, sources: &mut Sources, e: &tera::Error) -> Diagnostic {
    let chain = error_chain(e);
    let name = chain.split('\'').nth(1).unwrap_or("");
    let hint = "fix the template syntax: {{ value }} for values, {% tag %} for tags";
    let Some((text, file)) = theme.templates.get(name) else {
        return Diagnostic::new("templates", None, format!("template error: {chain}")).hint(hint);
    };
    let cause = innermost(e);
    let expected = cause.lines().find_map(|l| l.trim().strip_prefix("= ")).unwrap_or("invalid syntax").to_string();
    let position = cause.lines().find_map(|l| {
        let (line, col) = l.trim().strip_prefix("--> ")?.split_once(':')?;
        Some((line.trim().parse::<usize>().ok()?, col.trim().parse::<usize>().ok()?))
    });
    sources.add(file, text);
    let offset = position.map(|(line, col)| {
        let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
        let line_text = text[start..].lines().next().unwrap_or("");
        start + line_text.char_indices().nth(col.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i)
    });
    match offset {
        Some(o) => Diagnostic::at(file, o..o + 1, format!("template syntax error in {name}: {expected}")).hint(hint),
        None => Diagnostic::new(file.as_str(), None, format!("template error: {chain}")).hint(hint),
    }
}

/// The most specific cause of a Tera error (the outer ones repeat the
/// template name); for parse errors it holds ` --> line:col` and `= expected`.
pub fn innermost(e: &tera::Error) -> String {
    let mut last = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        last = s.to_string();
        src = s.source();
    }
    last
}

/// A Tera error with its causes, which hold the useful part.
pub fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts.join(": ").replace('\n', " ")
}
