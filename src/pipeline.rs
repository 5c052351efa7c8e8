//! The one pipeline used by `build`, `check` and `serve`:
//! load -> validate -> model (with the image plan, `media`) -> render -> write.
//! `build` and `serve` make the planned images (`media::Plan::make`, from
//! the cache when it has them) before they render. `serve` runs it through a
//! [`Session`], which keeps parsed files and rendered pages between runs and
//! stops before `write`: it serves the files from memory.

use crate::diagnostics::{Diagnostic, Sources};
use crate::model::Site;
use crate::render::{self, theme};
use crate::{load, media, validate, write};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    pub root: PathBuf,
    /// Defaults to `public/` inside the root.
    pub output_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Show a progress line on stderr when a build takes over a second
    /// (the command line sets it when stderr is a terminal and not `--quiet`).
    pub progress: bool,
}

/// A run that found errors: all of them, and the texts to show them against.
#[derive(Debug)]
pub struct Failure {
    pub sources: Sources,
    pub errors: Vec<Diagnostic>,
}

impl Failure {
    /// The full report, ending with a one-line summary.
    pub fn report(&self) -> String {
        let n = self.errors.len();
        format!("{}error: the site has {n} error{}\n", self.sources.render(&self.errors), if n == 1 { "" } else { "s" })
    }
}

#[derive(Debug)]
pub struct Built {
    pub site: Site,
    /// Stories and pages published, every language counted.
    pub counts: (usize, usize),
    pub files: usize,
    /// Derived images encoded by this build (the rest came from the cache).
    pub images_made: usize,
}

/// A site that loaded and validated without errors, modelled, with its
/// templates compiled, and the texts of its files for reports.
pub struct Prepared {
    /// The default language's model.
    pub site: Site,
    pub theme: theme::Theme,
    pub tera: tera::Tera,
    pub sources: Sources,
    /// The site's other languages (`[languages]`), each modelled with its
    /// stories, pages and ladder words, with templates whose `t()` speaks it.
    pub others: Vec<(Site, tera::Tera)>,
    /// Which pages exist in which language.
    pub langs: render::languages::Languages,
}

impl Prepared {
    /// Stories and pages of every language.
    pub fn counts(&self) -> (usize, usize) {
        self.languages().iter().fold((0, 0), |(a, b), (s, _)| (a + s.stories.len(), b + s.pages.len()))
    }

    /// Every language's model and templates, the default first.
    pub fn languages(&self) -> Vec<(&Site, &tera::Tera)> {
        std::iter::once((&self.site, &self.tera)).chain(self.others.iter().map(|(s, t)| (s, t))).collect()
    }
}

/// Load, validate and model the site, and compile its templates.
pub fn prepare(opts: &Options) -> Result<Prepared, Failure> {
    prepare_cached(opts, &mut load::Cache::default(), &BTreeSet::new())
}

fn prepare_cached(opts: &Options, cache: &mut load::Cache, touched: &BTreeSet<String>) -> Result<Prepared, Failure> {
    let mut loaded = load::load_cached(&opts.root, opts.base_url.as_deref(), cache, touched);
    let mut errors = std::mem::take(&mut loaded.errors);
    errors.extend(validate::validate(&loaded, &theme::builtin_names()));
    let mut th = theme::resolve(&opts.root, &loaded.config.theme.value, &mut errors);
    th.words_for(&loaded.config.language, &mut loaded.sources, &mut errors);
    let other_words: Vec<std::sync::Arc<crate::i18n::Words>> = loaded.config.languages[1..]
        .iter()
        .map(|l| {
            std::sync::Arc::new(crate::i18n::Words::build(&th.i18n, &l.code.value, &mut loaded.sources, &mut errors))
        })
        .collect();
    let tera = theme::compile(&th, &mut loaded.sources, &mut errors);
    // The image plan reads every image's header: sources that cannot be
    // decoded or are too large are errors like any other, reported with them.
    let plan = match cache_in_output(opts, &loaded.config) {
        Some(e) => {
            errors.push(e);
            media::Plan::default()
        }
        None => plan_images(
            &loaded.root,
            &loaded.config,
            (&loaded.stories, &loaded.pages),
            &loaded.static_files,
            opts.drafts,
            &th,
            &mut errors,
        ),
    };
    match tera {
        Some(tera) if errors.is_empty() => {
            let sources = std::mem::take(&mut loaded.sources);
            let plan = std::sync::Arc::new(plan);
            let mut sites = Site::build_all(loaded, opts.drafts).into_iter();
            // `Config::languages` always holds the default language, so a
            // model comes back; if not, an error rather than a panic.
            let Some(mut site) = sites.next() else {
                let e = Diagnostic::new(load::config::FILE, None, "the site has no language to build")
                    .hint("set language = \"en\" (or [languages] default) in site.toml");
                return Err(Failure { sources, errors: vec![e] });
            };
            site.media = plan.clone();
            site.words = th.words.clone();
            let others: Vec<(Site, tera::Tera)> = sites
                .zip(other_words)
                .map(|(mut s, words)| {
                    s.media = plan.clone();
                    s.words = words.clone();
                    let mut t = tera.clone();
                    t.register_function("t", crate::i18n::template::Translate(words));
                    (s, t)
                })
                .collect();
            let all: Vec<&Site> = std::iter::once(&site).chain(others.iter().map(|(s, _)| s)).collect();
            let langs = render::languages::Languages::new(&all);
            Ok(Prepared { site, theme: th, tera, sources, others, langs })
        }
        _ => Err(Failure { sources: loaded.sources, errors }),
    }
}

/// The image plan of a kept model whose stories were replaced (`serve`),
/// for every language's stories and pages, shared by every language.
fn plan_media(p: &mut Prepared) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let site = &p.site;
    let plan = if p.others.is_empty() {
        plan_images(
            &site.root,
            &site.config,
            (&site.stories, &site.pages),
            &site.static_files,
            true,
            &p.theme,
            &mut errors,
        )
    } else {
        let stories: Vec<load::story::Story> =
            p.languages().iter().flat_map(|(s, _)| s.stories.iter().cloned()).collect();
        let pages: Vec<load::page::Page> = p.languages().iter().flat_map(|(s, _)| s.pages.iter().cloned()).collect();
        plan_images(&site.root, &site.config, (&stories, &pages), &site.static_files, true, &p.theme, &mut errors)
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let plan = std::sync::Arc::new(plan);
    p.site.media = plan.clone();
    for (s, _) in &mut p.others {
        s.media = plan.clone();
    }
    Ok(())
}

/// The output folder is replaced whole by every build: a cache inside it
/// would be lost each time, and published. Refused before the plan, which
/// already writes to the cache (its index of sources).
fn cache_in_output(opts: &Options, config: &load::config::Config) -> Option<Diagnostic> {
    let out_dir = opts.output_dir.clone().unwrap_or_else(|| opts.root.join("public"));
    let cache_dir = media::cache_dir(&opts.root, &config.images);
    let lexical = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (out, root) = (lexical(&out_dir), lexical(&opts.root));
    // An output folder that holds the site is refused by the write stage,
    // with its own message.
    (lexical(&cache_dir).starts_with(&out) && !root.starts_with(&out)).then(|| {
        Diagnostic::new(
            load::config::FILE,
            None,
            format!("the image cache {} is inside the output folder {}", cache_dir.display(), out_dir.display()),
        )
        .hint("set [images] cache_dir to a folder outside the output, like \".storypath/cache\"")
    })
}

/// Every image the site shows (photos, posters, the logo, body images) and
/// every other raster under static/ (published without its metadata), and
/// what the pipeline makes of them.
fn plan_images(
    root: &Path,
    config: &load::config::Config,
    (stories, pages): (&[load::story::Story], &[load::page::Page]),
    static_files: &[String],
    drafts: bool,
    theme: &theme::Theme,
    errors: &mut Vec<Diagnostic>,
) -> media::Plan {
    let mut requests = media::requests(config, stories.iter().filter(|s| drafts || !s.draft));
    requests.extend(render::markdown::body_requests(stories, pages, drafts));
    requests.extend(media::static_requests(static_files, &requests));
    media::plan(root, config, &requests, &theme.sizes, errors)
}

/// Whether every local image in the bodies of `stories` is a file under
/// static/ (what validate checks; `serve` skips validate for light edits).
fn body_images_exist(site: &Site, stories: &[load::story::Story]) -> bool {
    let files: BTreeSet<&str> = site.static_files.iter().map(String::as_str).collect();
    let bodies = stories.iter().map(|s| (s.file.as_str(), s.body.as_str(), s.body_offset));
    validate::check_body_images(bodies, &files, &site.config.base.path).is_empty()
}

/// `storypath clean`: empties the image cache that site.toml names (only a
/// folder storypath tagged as its cache; see `media::cache`). Reads
/// site.toml alone, so a site with other errors can still be cleaned.
pub fn clean(root: &std::path::Path) -> Result<(PathBuf, media::cache::Cleaned), Failure> {
    let mut sources = Sources::default();
    let mut errors = Vec::new();
    let text = match std::fs::read_to_string(root.join(load::config::FILE)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            errors.push(Diagnostic::new(load::config::FILE, None, format!("cannot read site.toml: {e}")));
            return Err(Failure { sources, errors });
        }
    };
    sources.add(load::config::FILE, &text);
    let config = load::config::Config::parse(&text, &mut errors);
    if !errors.is_empty() {
        return Err(Failure { sources, errors });
    }
    let cache = media::cache::Cache::new(media::cache_dir(root, &config.images));
    match cache.clean() {
        Ok(c) => Ok((cache.dir().to_path_buf(), c)),
        Err(message) => Err(Failure {
            sources,
            errors: vec![Diagnostic::new(load::config::FILE, None, message)
                .hint("point [images] cache_dir at the cache folder, or delete the folder yourself")],
        }),
    }
}

/// A site that `check` found without errors, with its content report.
pub struct Checked {
    pub site: Site,
    /// Stories and pages, every language counted.
    pub counts: (usize, usize),
    /// The content report after site.toml's `[check]` levels: warnings,
    /// and errors for the codes it denies.
    pub warnings: Vec<Diagnostic>,
    pub sources: Sources,
}

/// `storypath check`: load, validate and model the site, and render one page
/// of each kind to catch template mistakes; nothing is written. The content
/// report's warnings are measured against `today`.
pub fn check(opts: &Options, today: (i32, u32, u32)) -> Result<Checked, Failure> {
    let p = prepare(opts)?;
    let mut errors = Vec::new();
    for (site, tera) in p.languages() {
        if let Err(e) = render::render_sample(site, &p.theme, tera, &p.langs) {
            errors.extend(e);
        }
    }
    if !errors.is_empty() {
        return Err(Failure { sources: p.sources.clone(), errors });
    }
    let mut warnings = crate::report::warnings(&p.site, today);
    warnings.extend(crate::report::language_warnings(&p.site, &p.others));
    // site.toml's [check] levels: allowed codes dropped, denied ones errors.
    let warnings = crate::report::codes::apply(warnings, |code| p.site.config.check.level(code));
    let counts = p.counts();
    Ok(Checked { site: p.site, counts, warnings, sources: p.sources })
}

/// `storypath build`: the whole pipeline. On any error nothing is written.
pub fn build(opts: &Options) -> Result<Built, Failure> {
    let p = prepare(opts)?;
    let (site, theme, sources) = (&p.site, &p.theme, &p.sources);
    let fail = |errors| Failure { sources: Sources::default(), errors };
    let out_dir = opts.output_dir.clone().unwrap_or_else(|| opts.root.join("public"));
    let staging = write::Staging::new(&opts.root, &out_dir, &site.config.keep).map_err(|e| fail(vec![e]))?;
    let images_made = site.media.make().map_err(|errors| Failure { sources: sources.clone(), errors })?;
    // Pages go to the staging folder as they are rendered; on an error the
    // staging folder is dropped, and with it everything written so far.
    let progress = render::Progress::default();
    let finished = std::sync::atomic::AtomicBool::new(false);
    let r = std::thread::scope(|scope| {
        if opts.progress {
            scope.spawn(|| progress_line(&progress, &finished));
        }
        let r = render::render_all(&p.languages(), theme, None, &|o| staging.put(&o), Some(&progress), &p.langs);
        finished.store(true, std::sync::atomic::Ordering::Relaxed);
        r
    })
    .map_err(fail)?;
    staging.commit().map_err(|e| fail(vec![e]))?;
    if let (Some(cache), Some(days)) = (site.media.cache(), site.config.images.cache_max_age_days) {
        cache.prune(std::time::Duration::from_secs(u64::from(days) * 86_400));
    }
    let counts = p.counts();
    Ok(Built { site: p.site, counts, files: r.files, images_made })
}

/// After a second, rewrites one line on stderr with the files written so
/// far, until `finished`; then clears it. A failed write (the terminal went
/// away) stops the line and is otherwise ignored: progress is a courtesy,
/// and `eprint!` would panic the build instead.
fn progress_line(p: &render::Progress, finished: &std::sync::atomic::AtomicBool) {
    use std::io::Write;
    use std::sync::atomic::Ordering::Relaxed;
    let start = std::time::Instant::now();
    let mut shown = false;
    while !finished.load(Relaxed) {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if start.elapsed() >= std::time::Duration::from_secs(1) && !finished.load(Relaxed) {
            let line = format!("\rRendering: {} of {} files", p.done.load(Relaxed), p.total.load(Relaxed));
            if std::io::stderr().write_all(line.as_bytes()).is_err() {
                return;
            }
            shown = true;
        }
    }
    if shown {
        let _ = std::io::stderr().write_all(b"\r\x1b[K");
    }
}

/// The site kept in memory between runs of the pipeline (`serve`): parsed
/// stories and pages, the last good model with its compiled templates, and
/// rendered pages with what they were made from. A run after an edit reads,
/// parses and renders only what the edit touched; when the edit changed
/// only what pages show of stories (bodies, titles, quotes...), load,
/// validate and model are skipped and the kept model is patched (see
/// [`crate::load::story::Story::same_structure`]).
#[derive(Default)]
pub struct Session {
    cache: load::Cache,
    /// One per language of the site.
    memos: Vec<render::reuse::Memo>,
    kept: Option<(Options, Prepared)>,
}

/// The result of one run of a [`Session`].
pub struct Rebuilt {
    /// Published stories.
    pub stories: usize,
    /// Every file of the site, in no particular order.
    pub outputs: Vec<render::Output>,
    /// Pages rendered this time (the others were reused).
    pub rendered: usize,
    /// Whether the last model was kept and patched (the edit changed only
    /// what pages show of stories) instead of loading, validating and
    /// modelling again.
    pub kept_model: bool,
}

impl Session {
    /// Runs load -> validate -> model -> render. `touched` names the files
    /// (relative to the root) the watcher saw change. On errors the session
    /// keeps what it had, so the next good run still reuses it.
    pub fn run(&mut self, opts: &Options, touched: &BTreeSet<String>) -> Result<Rebuilt, Failure> {
        let mut kept = self.kept.take().filter(|(o, _)| o == opts).map(|(_, p)| p);
        if let Some(p) = &mut kept {
            match self.cache.light_edits(&opts.root, touched) {
                // A body that now shows a missing image: the full run reports it.
                Some(stories) if !body_images_exist(&p.site, &stories) => kept = None,
                Some(stories) => {
                    // Each language's model takes the stories of its files.
                    for (s, _) in &mut p.others {
                        s.replace_stories(stories.clone());
                    }
                    p.site.replace_stories(stories);
                    // Bodies show images too: plan them again (a header read
                    // each, or less: the cache's index knows them).
                    if let Err(errors) = plan_media(p) {
                        return Err(Failure { sources: p.sources.clone(), errors });
                    }
                }
                None => kept = None,
            }
        }
        let kept_model = kept.is_some();
        let p = match kept {
            Some(p) => p,
            None => prepare_cached(opts, &mut self.cache, touched)?,
        };
        p.site.media.make().map_err(|errors| Failure { sources: p.sources.clone(), errors })?;
        let fail = |errors| Failure { sources: Sources::default(), errors };
        let outputs = std::sync::Mutex::new(Vec::new());
        let r = render::render_all(
            &p.languages(),
            &p.theme,
            Some(&mut self.memos),
            &|o| {
                outputs.lock().unwrap_or_else(|e| e.into_inner()).push(o);
                Ok(())
            },
            None,
            &p.langs,
        )
        .map_err(fail)?;
        let outputs = outputs.into_inner().unwrap_or_else(|e| e.into_inner());
        let stories = p.counts().0;
        self.kept = Some((opts.clone(), p));
        Ok(Rebuilt { stories, outputs, rendered: r.rendered, kept_model })
    }
}
