//! Stage 4, render: the model to the bytes of every output file — HTML pages
//! through Tera templates, the map SVG, feed, sitemap, robots.txt and the
//! theme's and site's static files. Nothing is written here.

pub mod feeds;
pub mod links;
pub mod markdown;
mod pages;
pub mod reuse;
pub mod seo;
pub mod theme;
pub mod views;

use crate::diagnostics::Diagnostic;
use crate::map::{self, MapInput, MapRole, MapTrack};
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
}

#[derive(Debug, Clone)]
pub struct Output {
    /// Path under the output folder, with `/` separators.
    pub path: String,
    pub content: Content,
}

/// Renders one page of each kind and discards it: what `check` does to find
/// template mistakes (an unknown variable breaks every page of a kind) at a
/// cost that does not grow with the number of stories.
pub fn render_sample(site: &Site, theme: &theme::Theme, tera: &tera::Tera) -> Result<(), Vec<Diagnostic>> {
    let r = pages::Renderer::new(site, theme, tera);
    // HashSet is fine here: it only filters, nothing is output in its order.
    let mut seen = std::collections::HashSet::new();
    let jobs: Vec<pages::Job> = r.jobs().into_iter().filter(|j| seen.insert(std::mem::discriminant(j))).collect();
    run_jobs(&r, &jobs).map(|_| ())
}

/// Renders the whole site. Template errors are collected, not just the first.
pub fn render(site: &Site, theme: &theme::Theme, tera: &tera::Tera) -> Result<Vec<Output>, Vec<Diagnostic>> {
    render_reusing(site, theme, tera, None).map(|r| r.outputs)
}

/// A render's files and, when it was given a memo, the memo for the next one.
pub struct Rendered {
    pub outputs: Vec<Output>,
    pub memo: reuse::Memo,
    /// How many pages were rendered rather than reused.
    pub rendered: usize,
}

/// Renders the whole site, reusing the pages of `memo` whose inputs did not
/// change (`serve`); with no memo every page is rendered and none is kept.
pub fn render_reusing(
    site: &Site,
    theme: &theme::Theme,
    tera: &tera::Tera,
    memo: Option<&reuse::Memo>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let r = pages::Renderer::new(site, theme, tera);
    let jobs = r.jobs();
    let (pages, next, rendered) = match memo {
        None => (run_jobs(&r, &jobs)?, reuse::Memo::default(), jobs.len()),
        Some(memo) => {
            let inputs = r.inputs();
            let fps: Vec<u64> = jobs.par_iter().map(|j| r.fingerprint(j, &inputs)).collect();
            let (mut reused, mut todo) = (Vec::new(), Vec::new());
            for (job, fp) in jobs.iter().zip(&fps) {
                match memo.pages.get(&r.output_path(job)) {
                    Some((old, out)) if old == fp => reused.push((*fp, out.clone())),
                    _ => todo.push((*job, *fp)),
                }
            }
            let todo_jobs: Vec<pages::Job> = todo.iter().map(|(j, _)| *j).collect();
            let fresh = run_jobs(&r, &todo_jobs)?;
            let rendered = fresh.len();
            reused.extend(todo.iter().map(|(_, fp)| *fp).zip(fresh));
            let next = reuse::Memo { pages: reused.iter().map(|(fp, o)| (o.path.clone(), (*fp, o.clone()))).collect() };
            (reused.into_iter().map(|(_, o)| o).collect(), next, rendered)
        }
    };
    let mut outputs = pages;
    let html_paths = r.sitemap_entries(&jobs);
    outputs.push(bytes("feed.xml", feeds::atom(site, &r.excerpts())));
    outputs.push(bytes("sitemap.xml", feeds::sitemap(site, &html_paths)));
    outputs.push(bytes("robots.txt", feeds::robots(site)));
    if let Some(svg) = r.full_map_svg() {
        outputs.push(bytes("map.svg", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n")));
    }
    for (rel, src) in &theme.statics {
        let content = match src {
            theme::Source::Embedded(b) => Content::Embedded(b),
            theme::Source::Disk(p) => Content::File(p.clone()),
        };
        outputs.push(Output { path: rel.clone(), content });
    }
    for rel in &site.static_files {
        outputs.push(Output { path: rel.clone(), content: Content::File(site.root.join("static").join(rel)) });
    }
    // The site's static files replace the theme's of the same name.
    let mut seen = std::collections::BTreeSet::new();
    let mut unique: Vec<Output> = outputs.into_iter().rev().filter(|o| seen.insert(o.path.clone())).collect();
    unique.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered { outputs: unique, memo: next, rendered })
}

fn run_jobs(r: &pages::Renderer, jobs: &[pages::Job]) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let results: Vec<Result<Output, Diagnostic>> = jobs.par_iter().map(|job| r.run(job)).collect();
    let mut outputs = Vec::with_capacity(results.len() + 8);
    let mut errors = Vec::new();
    for res in results {
        match res {
            Ok(o) => outputs.push(o),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(outputs)
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
                href: site.config.base.link(&format!("roles/{}/", r.id.value)),
                next: r.next.iter().map(|n| n.value.clone()).collect(),
            })
            .collect(),
        journeys: site.stories.iter().map(|s| s.path.iter().map(|st| st.place.clone()).collect()).collect(),
    })
}

/// Lays out the map once per build.
pub fn map_layout(site: &Site) -> Option<map::Layout> {
    map_input(site).map(|i| map::layout(&i))
}
