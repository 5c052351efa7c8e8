//! Stage 4, render: the model to the bytes of every output file — HTML pages
//! through Tera templates, the map SVG, feed, sitemap, robots.txt and the
//! theme's and site's static files. Nothing is written here.

pub mod assets;
mod collisions;
pub mod feeds;
pub mod icons;
pub mod languages;
pub mod links;
pub mod markdown;
mod pages;
pub mod reuse;
pub mod search;
pub mod seo;
pub mod share;
pub mod theme;
pub mod video;
pub mod views;

use crate::diagnostics::Diagnostic;
use crate::map::{MapInput, MapRole, MapTrack};
use crate::model::Site;
use rayon::prelude::*;
use std::path::PathBuf;

/// The content of one output file.
#[derive(Debug, Clone)]
pub enum Content {
    /// Shared, so `serve` reuses unchanged pages without copying them.
    Bytes(std::sync::Arc<[u8]>),
    Embedded(&'static [u8]),
    /// Copied from this file.
    File(PathBuf),
    /// An entry of the image cache: linked (or copied) into the output.
    Cached(PathBuf),
    /// A share card or icon: linked from the image cache, or drawn (and
    /// cached) only when written or served and the cache lacks it (see
    /// `share`).
    Drawn(std::sync::Arc<share::Image>),
}

impl Content {
    /// The file's bytes: read, copied or drawn.
    pub fn bytes(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Content::Bytes(b) => Ok(b[..].into()),
            Content::Embedded(b) => Ok((*b).into()),
            Content::File(p) | Content::Cached(p) => std::fs::read(p).map(Into::into),
            Content::Drawn(c) => c.bytes().map(Into::into),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Output {
    /// Path under the output folder, with `/` separators.
    pub path: String,
    pub content: Content,
}

/// Where rendered files go, each as soon as it is made: the build writes it
/// to the staging folder and lets it go, `serve` keeps it.
pub type Sink<'s> = &'s (dyn Fn(Output) -> Result<(), Diagnostic> + Sync);

/// Renders one page of each kind and discards it: what `check` does to find
/// template mistakes (an unknown variable breaks every page of a kind) at a
/// cost that does not grow with the number of stories.
pub fn render_sample(
    site: &Site,
    theme: &theme::Theme,
    tera: &tera::Tera,
    langs: &languages::Languages,
) -> Result<(), Vec<Diagnostic>> {
    let hashed = assets::hashed_names(&assets::statics(site, theme));
    let r = pages::Renderer::new(site, theme, tera, &hashed, None, langs)?;
    let clashes = collisions::check(site, theme, &r, &r.jobs());
    if !clashes.is_empty() {
        return Err(clashes);
    }
    // HashSet is fine here: it only filters, nothing is output in its order.
    let mut seen = std::collections::HashSet::new();
    let jobs: Vec<pages::Job> = r.jobs().into_iter().filter(|j| seen.insert(std::mem::discriminant(j))).collect();
    run_jobs(&r, &jobs, &|_, _| Ok(()))
}

/// How far a render is: files handed to the sink, of how many. Read by the
/// build's progress line from another thread.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: std::sync::atomic::AtomicUsize,
    pub total: std::sync::atomic::AtomicUsize,
}

/// What a render did.
pub struct Rendered {
    /// Pages rendered this time (the others were reused from the memo).
    pub rendered: usize,
    /// Files handed to the sink.
    pub files: usize,
}

/// Renders the whole site into `sink`: pages, feed, sitemap, robots.txt,
/// map.svg and static files. With a `memo` (`serve`), pages whose inputs did
/// not change are reused from it, and the memo is brought up to date for the
/// next run (in place: at 10,000 stories, rebuilding it took a fifth of a
/// one-story edit); without one every page is rendered and none is kept.
/// Files reach the sink in no particular order. Template errors are
/// collected, not just the first.
///
/// On a multilingual site this renders one language (`site.lang`, see
/// `Site::build_all`): its pages, feeds, search index and map under its
/// folder; the default language also writes what the site has once (static
/// files, icons, robots.txt, the 404 page, the sitemap of every language).
/// `langs` says which pages exist in which language.
pub fn render(
    site: &Site,
    theme: &theme::Theme,
    tera: &tera::Tera,
    memo: Option<&mut reuse::Memo>,
    sink: Sink,
    progress: Option<&Progress>,
    langs: &languages::Languages,
) -> Result<Rendered, Vec<Diagnostic>> {
    use std::sync::atomic::Ordering::Relaxed;
    let statics = assets::statics(site, theme);
    let hashed = assets::hashed_names(&statics);
    let r = pages::Renderer::new(site, theme, tera, &hashed, memo.as_deref(), langs)?;
    let jobs = r.jobs();
    // No static file may stand in for a generated one (an error, not a
    // silent replacement).
    let clashes = collisions::check(site, theme, &r, &jobs);
    if !clashes.is_empty() {
        return Err(clashes);
    }
    let statics = if site.lang == 0 { assets::publish(site, statics, &hashed) } else { Default::default() };
    // Each group of site-wide files is kept while what it is made from is.
    let kept = |group: Option<&(u64, std::sync::Arc<Vec<Output>>)>, key: u64, make: &dyn Fn() -> Vec<Output>| {
        let files = match group {
            Some((k, files)) if *k == key => files.clone(),
            _ => std::sync::Arc::new(make()),
        };
        (key, files)
    };
    let kept_memo = memo.as_deref();
    let shown = kept(kept_memo.and_then(|m| m.shown_files.as_ref()), r.shown_files_key(), &|| shown_files(site, &r));
    let search = kept(kept_memo.and_then(|m| m.search.as_ref()), r.search_key(), &|| {
        vec![bytes(&lang_path(site, search::FILE), r.search_index())]
    });
    let structure = kept(kept_memo.and_then(|m| m.structure_files.as_ref()), r.structure_files_key(), &|| {
        structure_files(site, &r, langs)
    });
    // The site's card and icons: a few files, made again every run (an
    // icon follows the logo's bytes, which no key above covers). A static
    // file of the same path (a site's own favicon.ico) wins.
    let brand: Vec<Output> = match site.lang {
        0 => brand_files(site).into_iter().filter(|o| !statics.contains_key(&o.path)).collect(),
        // Another language's own site card (its description differs).
        _ => vec![pages::site_card(site).output()],
    };
    let generated: Vec<&Output> =
        shown.1.iter().chain(search.1.iter()).chain(structure.1.iter()).chain(brand.iter()).collect();
    if let Some(p) = progress {
        p.total.fetch_add(jobs.len() + generated.len() + statics.len(), Relaxed);
    }
    let files = std::sync::atomic::AtomicUsize::new(0);
    let count = || {
        files.fetch_add(1, Relaxed);
        if let Some(p) = progress {
            p.done.fetch_add(1, Relaxed);
        }
    };
    let give = |o: Output| {
        count();
        sink(o)
    };

    let extra: Vec<Output> = generated
        .into_iter()
        .cloned()
        .chain(statics.iter().map(|(path, content)| Output { path: path.clone(), content: content.clone() }))
        .collect();
    // The pages and the other files side by side: writing a share card the
    // cache lacks draws it, and a first build's 10,000 cards then fill the
    // stretches where one thread renders the last long list page.
    let pages = || -> Result<usize, Vec<Diagnostic>> {
        match memo {
            None => {
                run_jobs(&r, &jobs, &|_, o| give(o))?;
                Ok(jobs.len())
            }
            Some(memo) => {
                let keyed: Vec<(String, u64)> = jobs.par_iter().map(|j| (r.output_path(j), r.fingerprint(j))).collect();
                let todo: Vec<usize> = (0..jobs.len())
                    .filter(|&k| memo.pages.get(&keyed[k].0).is_none_or(|(fp, _)| *fp != keyed[k].1))
                    .collect();
                let todo_jobs: Vec<pages::Job> = todo.iter().map(|&k| jobs[k]).collect();
                let fresh = std::sync::Mutex::new(Vec::with_capacity(todo.len()));
                run_jobs(&r, &todo_jobs, &|n, o| {
                    fresh.lock().unwrap_or_else(|e| e.into_inner()).push((todo[n], o));
                    Ok(())
                })?;
                // Every page rendered: the memo takes the new ones and forgets
                // the pages this site no longer has.
                for (k, o) in fresh.into_inner().unwrap_or_else(|e| e.into_inner()) {
                    let (path, fp) = &keyed[k];
                    memo.pages.insert(path.clone(), (*fp, o));
                }
                if memo.pages.len() != keyed.len() {
                    let live: std::collections::HashSet<&str> = keyed.iter().map(|(p, _)| p.as_str()).collect();
                    memo.pages.retain(|p, _| live.contains(p.as_str()));
                }
                r.remember(memo);
                memo.shown_files = Some(shown.clone());
                memo.search = Some(search.clone());
                memo.structure_files = Some(structure.clone());
                for (_, o) in memo.pages.values() {
                    give(o.clone()).map_err(|e| vec![e])?;
                }
                Ok(todo.len())
            }
        }
    };
    let others = || {
        extra.into_par_iter().try_for_each(|o| {
            count();
            sink(o).map_err(|e| vec![e])
        })
    };
    // Both sides' errors, as a build reports every error together.
    match rayon::join(pages, others) {
        (Ok(rendered), Ok(())) => Ok(Rendered { rendered, files: files.into_inner() }),
        (pages, others) => Err(pages.err().into_iter().chain(others.err()).flatten().collect()),
    }
}

/// Every language of a site (see [`render`]), the default first, each with
/// its templates (their `t()` speaks its language); with `memos`
/// (`serve`), one memo per language. Share cards of the same text are the
/// same file (their names carry their content's hash): a card two
/// languages share goes to the sink once. Errors of every language are
/// reported together.
pub fn render_all(
    sites: &[(&Site, &tera::Tera)],
    theme: &theme::Theme,
    memos: Option<&mut Vec<reuse::Memo>>,
    sink: Sink,
    progress: Option<&Progress>,
    langs: &languages::Languages,
) -> Result<Rendered, Vec<Diagnostic>> {
    if let [(site, tera)] = sites {
        let memo = memos.map(|m| {
            m.resize_with(1, Default::default);
            &mut m[0]
        });
        return render(site, theme, tera, memo, sink, progress, langs);
    }
    let seen = std::sync::Mutex::new(std::collections::HashSet::new());
    let once = |o: Output| {
        if o.path.starts_with("og/") && !seen.lock().unwrap_or_else(|e| e.into_inner()).insert(o.path.clone()) {
            return Ok(());
        }
        sink(o)
    };
    // The languages render side by side: each render has stretches that
    // run on one thread (the map's layout, the cards, the search index),
    // which the other language's parallel work fills.
    let memos: Vec<Option<&mut reuse::Memo>> = match memos {
        Some(m) => {
            m.resize_with(sites.len(), Default::default);
            m.iter_mut().map(Some).collect()
        }
        None => sites.iter().map(|_| None).collect(),
    };
    use rayon::prelude::*;
    let results: Vec<Result<Rendered, Vec<Diagnostic>>> = sites
        .par_iter()
        .zip(memos.into_par_iter())
        .map(|((site, tera), memo)| render(site, theme, tera, memo, &once, progress, langs))
        .collect();
    let mut total = Rendered { rendered: 0, files: 0 };
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(r) => {
                total.rendered += r.rendered;
                total.files += r.files;
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(total)
    } else {
        Err(errors)
    }
}

/// The site-wide files that show stories: feed and share cards. `serve`
/// keeps them while [`pages::Renderer::shown_files_key`] stays the same.
fn shown_files(site: &Site, r: &pages::Renderer) -> Vec<Output> {
    // Side by side: each is a pass over every story (20 ms at 10,000), and
    // `serve` makes them again after a title edit.
    let (feed, mut files) = rayon::join(|| feeds::atom(site, &r.excerpts()), || r.share_cards());
    files.push(bytes(&lang_path(site, "feed.xml"), feed));
    files
}

/// A site-wide file of the site's language (`fr/feed.xml`).
fn lang_path(site: &Site, file: &str) -> String {
    format!("{}{file}", site.config.base.lang)
}

/// The site's share card (every page without one of its own shows it) and
/// its icons (see `icons`).
fn brand_files(site: &Site) -> Vec<Output> {
    let mut files = icons::icons(site).files;
    files.push(pages::site_card(site).output());
    files
}

/// The site-wide files that follow the site's structure: sitemap,
/// robots.txt and map.svg (and, when the default language lives in a
/// folder, the page at the root). `serve` keeps them while
/// [`pages::Renderer::structure_files_key`] stays the same.
fn structure_files(site: &Site, r: &pages::Renderer, langs: &languages::Languages) -> Vec<Output> {
    let mut files = Vec::new();
    if site.lang == 0 {
        let sitemap = langs.sitemap().unwrap_or_else(|| feeds::sitemap(site, &pages::paths::sitemap_entries(site)));
        files.push(bytes("sitemap.xml", sitemap));
        files.push(bytes("robots.txt", feeds::robots(site)));
        if let Some(root) = langs.root_page(site) {
            files.push(bytes("index.html", root));
        }
    }
    if let Some(feed) = feeds::jobs_atom(site) {
        files.push(bytes(&lang_path(site, "jobs.xml"), feed));
    }
    if let Some(svg) = r.full_map_svg() {
        files.push(bytes(&lang_path(site, "map.svg"), format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n")));
    }
    files
}

/// Renders `jobs` in parallel, handing each page to `each` with its index
/// in `jobs`. Every template error is collected.
fn run_jobs(
    r: &pages::Renderer,
    jobs: &[pages::Job],
    each: &(dyn Fn(usize, Output) -> Result<(), Diagnostic> + Sync),
) -> Result<(), Vec<Diagnostic>> {
    // At most 16 pages a piece: rayon otherwise splits the list into a few
    // long pieces (four on two threads) and steals only between them. The
    // list pages at its end (tags, origins, roles, openings) cost many
    // story pages each, so the last piece ran alone on one thread while the
    // other had nothing left to take: 0.7 s of a 3.3 s build at 10,000
    // stories.
    let errors: Vec<Diagnostic> = jobs
        .par_iter()
        .with_max_len(16)
        .enumerate()
        .filter_map(|(k, job)| r.run(job).and_then(|o| each(k, o)).err())
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(group_errors(errors))
    }
}

/// One error per distinct template problem, not one per page it broke:
/// "while rendering /stories/a/ and 11 more pages".
fn group_errors(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut groups: std::collections::BTreeMap<(String, String), Vec<Diagnostic>> = Default::default();
    for e in errors {
        groups.entry((e.file.clone(), e.message.clone())).or_default().push(e);
    }
    groups
        .into_values()
        .map(|mut list| {
            list.sort_by(|a, b| a.label.cmp(&b.label));
            let more = list.len() - 1;
            let mut first = list.swap_remove(0);
            if more > 0 {
                let label = first.label.take().unwrap_or_default();
                first.label = Some(format!("{label} and {more} more page{}", if more == 1 { "" } else { "s" }));
            }
            first
        })
        .collect()
}

fn bytes(path: &str, text: String) -> Output {
    Output { path: path.into(), content: Content::Bytes(text.into_bytes().into()) }
}

/// The map's input from the ladder and every published journey.
pub fn map_input(site: &Site) -> Option<MapInput> {
    let ladder = site.ladder.as_ref()?;
    Some(MapInput {
        tracks: ladder
            .tracks
            .iter()
            .map(|t| MapTrack { id: t.id.value.clone(), name: t.name.clone(), color: t.color.clone() })
            .collect(),
        roles: ladder
            .roles
            .iter()
            .map(|r| MapRole {
                id: r.id.value.clone(),
                title: r.title.clone(),
                track: r.track.value.clone(),
                level: r.level,
                href: site.config.base.page(&format!("roles/{}/", r.id.value)),
                next: r.next.iter().map(|n| n.value.clone()).collect(),
            })
            .collect(),
        journeys: site.stories.iter().map(|s| s.path.iter().map(|st| st.place.clone()).collect()).collect(),
        names: site.stories.iter().map(|s| s.name.clone()).collect(),
        // Each hiring role's openings are listed on its page.
        hiring: site
            .jobs_by_role
            .iter()
            .map(|(id, list)| {
                let href = format!("{}#openings", site.config.base.page(&format!("roles/{id}/")));
                let text = crate::map::hiring_text(&site.words, list.len());
                (id.clone(), crate::map::Hiring { count: list.len(), href, text })
            })
            .collect(),
        words: site.words.clone(),
    })
}
