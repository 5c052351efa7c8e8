//! The one pipeline used by `build`, `check` (and later `serve`):
//! load -> validate -> model -> render -> write.

use crate::diagnostics::{Diagnostic, Sources};
use crate::model::Site;
use crate::render::{self, theme};
use crate::{load, validate, write};
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    /// Defaults to `public/` inside the root.
    pub output_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
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
    pub files: usize,
}

/// Load, validate and model the site, and compile its templates.
pub fn prepare(opts: &Options) -> Result<(Site, theme::Theme, tera::Tera), Failure> {
    let mut loaded = load::load(&opts.root, opts.base_url.as_deref());
    let mut errors = std::mem::take(&mut loaded.errors);
    errors.extend(validate::validate(&loaded, &theme::builtin_names()));
    let th = theme::resolve(&opts.root, &loaded.config.theme.value, &mut errors);
    let tera = theme::compile(&th, &mut loaded.sources, &mut errors);
    match tera {
        Some(tera) if errors.is_empty() => Ok((Site::build(loaded, opts.drafts), th, tera)),
        _ => Err(Failure { sources: loaded.sources, errors }),
    }
}

/// `storypath check`: load, validate and model the site, and render one page
/// of each kind to catch template mistakes; nothing is written.
pub fn check(opts: &Options) -> Result<Site, Failure> {
    let (site, th, tera) = prepare(opts)?;
    render::render_sample(&site, &th, &tera).map_err(|errors| Failure { sources: Sources::default(), errors })?;
    Ok(site)
}

/// `storypath build`: the whole pipeline. On any error nothing is written.
pub fn build(opts: &Options) -> Result<Built, Failure> {
    let (site, th, tera) = prepare(opts)?;
    let fail = |errors| Failure { sources: Sources::default(), errors };
    let outputs = render::render(&site, &th, &tera).map_err(fail)?;
    let out_dir = opts.output_dir.clone().unwrap_or_else(|| opts.root.join("public"));
    write::write(&outputs, &opts.root, &out_dir).map_err(|e| fail(vec![e]))?;
    Ok(Built { site, files: outputs.len() })
}
