//! Stage between model and render: the images. Every raster image the site
//! shows (story photos, images in bodies, a raster logo) is published the
//! right way up, stripped of every metadata field, cropped around its focal
//! point where the theme shows it in a fixed shape, and resized to the
//! widths the theme asks for, as WebP with a JPEG (or, with transparency,
//! PNG) fallback. The originals are never copied to the output. SVG images
//! pass through untouched.
//!
//! Two steps, so `check` stays cheap:
//! - [`plan`] (every command): reads each source's header (its size and
//!   orientation, not its pixels), refuses what cannot be decoded or is
//!   larger than `[images] max_megapixels`, and names every derived file.
//!   Templates get a [`Picture`] per image and use: `srcset`, `width`,
//!   `height`. Names carry a hash of what the file is made from, so hosts
//!   and browsers may cache them for good.
//! - [`Plan::make`] (build, serve): decodes and encodes what the cache does
//!   not hold yet, one source per worker (two decoded phone photos at a time
//!   on a 2-core machine, not a hundred), and hands the files to render.

pub mod cache;
pub mod derive;
pub mod strip;

use crate::diagnostics::Diagnostic;
use crate::load::config::Config;
use crate::load::fields::Span;
use crate::load::story::Story;
use derive::{Format, Header, Rect};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Part of every derived file's hash: a change to how images are made must
/// change this, or builds would reuse the old files from the cache.
pub const PIPELINE: &str = "storypath-images-v2";

/// Where and in what shape a theme shows an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Use {
    /// A story's own photo: square.
    Avatar,
    /// A story card's photo: 8:5.
    Card,
    /// An image in a story or page body: its own shape.
    Body,
    /// The header logo: its own shape, by height.
    Logo,
    /// A video's poster: 16:9.
    Poster,
    /// The photo half of a story's share card ([`SHARE_CROP`]): kept in the
    /// cache for the card to be drawn over, never published itself, so a
    /// card is made without decoding the phone photo a second time.
    Share,
    /// A raster under static/ that nothing above shows (a template's
    /// background, a file linked by hand): published at its own path, its
    /// pixels untouched, its metadata removed (`strip`).
    Static,
}

/// The photo share card's photo area, in pixels (right of its brand panel).
pub const SHARE_CROP: (u32, u32) = (500, 630);

impl Use {
    /// The crop's aspect ratio, or None to keep the source's.
    fn aspect(self) -> Option<(u32, u32)> {
        match self {
            Use::Avatar => Some((1, 1)),
            Use::Card => Some((8, 5)),
            Use::Poster => Some((16, 9)),
            Use::Share => Some(SHARE_CROP),
            Use::Body | Use::Logo | Use::Static => None,
        }
    }

    /// The sizes made by default: widths, except the logo's heights (its
    /// width follows the wordmark). The first is the size pages show (the
    /// second for high-density screens), except for bodies, which scale to
    /// the column and show the largest that fits.
    pub fn default_sizes(self) -> &'static [u32] {
        match self {
            Use::Avatar => &[240, 480],
            Use::Card => &[320, 640],
            Use::Body => &[480, 800, 1200, 1600],
            Use::Logo => &[48, 96],
            Use::Poster => &[640, 1280],
            Use::Share => &[SHARE_CROP.0],
            Use::Static => &[],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Use::Avatar => "avatar",
            Use::Card => "card",
            Use::Body => "body",
            Use::Logo => "logo",
            Use::Poster => "poster",
            Use::Share => "share",
            Use::Static => "static",
        }
    }
}

/// Is this path a raster image the pipeline takes (by extension)?
pub fn is_raster(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "gif" | "webp")
}

/// One image, as a template shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Picture {
    /// The fallback file at the size shown (root-relative link).
    pub src: String,
    /// The WebP file at the size shown, where one image is all HTML takes
    /// (a `<video>`'s `poster`); "" for SVG.
    pub webp: String,
    pub width: u32,
    pub height: u32,
    /// `url 240w, url 480w` of the fallback format ("" for SVG).
    pub srcset: String,
    /// The same in WebP ("" for SVG).
    pub webp_srcset: String,
    /// The fallback's type (`image/jpeg`).
    #[serde(rename = "type")]
    pub mime: &'static str,
    pub svg: bool,
    /// The largest fallback file's site path (`img/a.480x480.1a2b.jpg`, no
    /// base path: for absolute URLs in JSON-LD and Open Graph) and its size.
    pub full: String,
    pub full_width: u32,
    pub full_height: u32,
    /// An SVG's focal point as CSS `object-position` (`50% 30%`), for the
    /// theme to crop it where the pipeline would crop a raster; "" for
    /// rasters, which come cropped.
    pub position: String,
}

/// Something that shows an image: what to make of it, and where it is
/// written (for errors).
#[derive(Debug, Clone)]
pub struct Request {
    /// Path under `static/`, without a leading `/`.
    pub path: String,
    pub use_: Use,
    /// The focal point: fractions of the width and height.
    pub focus: (f64, f64),
    pub file: String,
    pub span: Span,
    /// What it is, for messages: "photo", "image", "logo".
    pub what: &'static str,
}

impl Request {
    /// Where to point an error: the reference's place in its file, or the
    /// whole file for a static file nothing refers to.
    fn place(&self) -> Option<Span> {
        (self.use_ != Use::Static).then(|| self.span.clone())
    }
}

/// One file to derive from a source.
#[derive(Debug, Clone)]
struct Variant {
    rect: Rect,
    width: u32,
    height: u32,
    format: Format,
    hash: String,
    /// Path under the output folder.
    out: String,
}

#[derive(Debug, Clone)]
struct SourceJob {
    file: PathBuf,
    /// Where it is first referenced, for decoding errors.
    at: (String, Option<Span>, &'static str, String),
    variants: Vec<Variant>,
}

/// What [`plan`] found: a [`Picture`] per image and use, and the files to
/// make.
#[derive(Debug, Default, Clone)]
pub struct Plan {
    pictures: BTreeMap<(String, Use, FocusKey), Picture>,
    sources: Vec<SourceJob>,
    /// Source paths the pipeline replaces: not copied to the output.
    replaced: std::collections::BTreeSet<String>,
    /// The content hash of every raster source, by path.
    hashes: BTreeMap<String, String>,
    /// The cache file of each photo's share-card crop, by path and focus.
    share_crops: BTreeMap<(String, FocusKey), PathBuf>,
    cache: Option<cache::Cache>,
    max_pixels: u64,
}

/// A focal point as integers per mille, so pictures can be looked up.
type FocusKey = (u16, u16);

fn focus_key((x, y): (f64, f64)) -> FocusKey {
    ((x.clamp(0.0, 1.0) * 1000.0).round() as u16, (y.clamp(0.0, 1.0) * 1000.0).round() as u16)
}

impl Plan {
    /// The picture for `path` (under static/) shown as `use_`, centred.
    pub fn picture(&self, path: &str, use_: Use) -> Option<&Picture> {
        self.picture_at(path, use_, (0.5, 0.5))
    }

    /// The picture for `path` shown as `use_` around `focus`.
    pub fn picture_at(&self, path: &str, use_: Use, focus: (f64, f64)) -> Option<&Picture> {
        self.pictures.get(&(path.trim_start_matches('/').to_string(), use_, focus_key(focus)))
    }

    /// Whether the output leaves out the static file `path` (the pipeline
    /// publishes derived files instead).
    pub fn replaces(&self, path: &str) -> bool {
        self.replaced.contains(path)
    }

    /// The cache file of the share card's crop of photo `path` around
    /// `focus` ([`Use::Share`]), made by [`Plan::make`].
    pub fn share_crop(&self, path: &str, focus: (f64, f64)) -> Option<&Path> {
        self.share_crops.get(&(path.trim_start_matches('/').to_string(), focus_key(focus))).map(PathBuf::as_path)
    }

    /// The content hash of a raster source (for share cards made from it).
    pub fn source_hash(&self, path: &str) -> Option<&str> {
        self.hashes.get(path.trim_start_matches('/')).map(String::as_str)
    }

    /// Of every raster source's path and content hash: what `serve`'s
    /// memo of rendered pages must follow (see `render::reuse`).
    pub fn sources_fingerprint(&self) -> u64 {
        crate::text::fingerprint(&self.hashes)
    }

    pub fn cache(&self) -> Option<&cache::Cache> {
        self.cache.as_ref()
    }

    /// The most pixels a source may have.
    pub fn max_pixels(&self) -> u64 {
        self.max_pixels
    }

    /// Decodes and encodes every derived file the cache lacks, in parallel
    /// by source, and says how many it made (a warm build makes none).
    /// Errors are located where the source is first shown.
    pub fn make(&self) -> Result<usize, Vec<Diagnostic>> {
        let Some(cache) = &self.cache else { return Ok(0) };
        let made: Vec<Result<usize, Diagnostic>> =
            self.sources.par_iter().map(|s| make_source(cache, s, self.max_pixels)).collect();
        let mut errors = Vec::new();
        let mut count = 0;
        for m in made {
            match m {
                Ok(n) => count += n,
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(count)
        } else {
            Err(errors)
        }
    }

    /// Every derived file, by output path, as a copy of its cache entry
    /// (made by [`Plan::make`]).
    pub fn outputs(&self) -> impl Iterator<Item = (String, PathBuf)> + '_ {
        self.cache.iter().flat_map(move |c| {
            self.sources
                .iter()
                .flat_map(|s| &s.variants)
                .filter(|v| v.format != Format::Crop)
                .map(move |v| (v.out.clone(), c.path("img", &v.hash, v.format.ext())))
        })
    }
}

fn make_source(cache: &cache::Cache, s: &SourceJob, max_pixels: u64) -> Result<usize, Diagnostic> {
    let fail = |why: String| {
        let (file, span, what, path) = &s.at;
        Diagnostic::new(file, span.clone(), format!("{what} `{path}` cannot be published: {why}"))
            .hint("save it again as a JPEG, PNG or WebP (File > Export in an image editor)")
    };
    // What the cache lacks, by size: each size is resampled once and
    // encoded in each of its formats.
    let mut sizes: BTreeMap<(Rect, u32, u32), Vec<&Variant>> = BTreeMap::new();
    let mut stripped = None;
    for v in s.variants.iter().filter(|v| cache.get("img", &v.hash, v.format.ext()).is_none()) {
        if v.format == Format::Stripped {
            stripped = Some(v);
        } else {
            sizes.entry((v.rect, v.width, v.height)).or_default().push(v);
        }
    }
    if sizes.is_empty() && stripped.is_none() {
        return Ok(0);
    }
    let put = |v: &Variant, bytes: &[u8]| {
        cache.put("img", &v.hash, v.format.ext(), bytes).map_err(|e| {
            Diagnostic::new(cache.dir().display().to_string(), None, format!("cannot write to the image cache: {e}"))
                .hint("check free disk space and the permissions of [images] cache_dir")
        })
    };
    let bytes = std::fs::read(&s.file).map_err(|e| fail(e.to_string()))?;
    let mut made = 0;
    if let Some(v) = stripped {
        put(v, &strip::metadata(&bytes).map_err(fail)?)?;
        made += 1;
    }
    if sizes.is_empty() {
        return Ok(made);
    }
    let shrink = derive::shrink_for(sizes.keys().copied());
    let src = derive::decode(&bytes, max_pixels, shrink).map_err(fail)?;
    drop(bytes);
    for ((rect, w, h), files) in sizes {
        let sized = derive::resize(&src, rect, w, h).map_err(fail)?;
        for v in files {
            put(v, &derive::encode(&sized, v.format).map_err(fail)?)?;
            made += 1;
        }
    }
    Ok(made)
}

/// The theme's sizes per use (`theme.toml`'s `[images]`), over the defaults.
pub type Sizes = BTreeMap<Use, Vec<u32>>;

/// Every image request of the site: story photos (avatar and card), the
/// logo. (Bodies and posters add theirs through [`requests`]' callers.)
/// Read off the loaded files, so the plan's errors join validation's.
pub fn requests<'s>(config: &Config, stories: impl Iterator<Item = &'s Story>) -> Vec<Request> {
    let mut out = Vec::new();
    if let Some(logo) = &config.brand.logo {
        out.push(Request {
            path: logo.value.trim_start_matches('/').to_string(),
            use_: Use::Logo,
            focus: (0.5, 0.5),
            file: crate::load::config::FILE.to_string(),
            span: logo.span.clone(),
            what: "logo",
        });
    }
    for s in stories {
        // A video's poster: its own, else the photo (16:9 around its focus).
        if let Some(v) = &s.video {
            let (p, focus) = match &v.poster {
                Some(p) => (Some(p), (0.5, 0.5)),
                None => (s.photo.as_ref(), s.photo_focus.unwrap_or((0.5, 0.5))),
            };
            if let Some(p) = p {
                out.push(Request {
                    path: p.value.trim_start_matches('/').to_string(),
                    use_: Use::Poster,
                    focus,
                    file: s.file.clone(),
                    span: p.span.clone(),
                    what: if v.poster.is_some() { "video poster" } else { "photo" },
                });
            }
        }
        if let Some(p) = &s.photo {
            for use_ in [Use::Avatar, Use::Card, Use::Share] {
                out.push(Request {
                    path: p.value.trim_start_matches('/').to_string(),
                    use_,
                    focus: s.photo_focus.unwrap_or((0.5, 0.5)),
                    file: s.file.clone(),
                    span: p.span.clone(),
                    what: "photo",
                });
            }
        }
    }
    out
}

/// A [`Use::Static`] request for every raster of `static_files` that none
/// of `requests` names, so none is published with its metadata.
pub fn static_requests(static_files: &[String], requests: &[Request]) -> Vec<Request> {
    let shown: std::collections::BTreeSet<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    static_files
        .iter()
        .filter(|f| is_raster(f) && !shown.contains(f.as_str()))
        .map(|f| Request {
            path: f.clone(),
            use_: Use::Static,
            focus: (0.5, 0.5),
            file: format!("static/{f}"),
            span: 0..0,
            what: "static image",
        })
        .collect()
}

/// Reads the header of every source the requests name and plans its
/// files. Sources that cannot be read or decoded, or are too large, are
/// errors at each place that shows them.
pub fn plan(root: &Path, config: &Config, requests: &[Request], sizes: &Sizes, errors: &mut Vec<Diagnostic>) -> Plan {
    let images = &config.images;
    let cache = cache::Cache::new(cache_dir(root, images));
    if let Some(e) = refuse_cache_dir(images) {
        errors.push(e);
        return Plan::default();
    }
    let max_pixels = (images.max_megapixels * 1_000_000.0) as u64;
    let mut plan = Plan { cache: Some(cache.clone()), max_pixels, ..Plan::default() };

    // One probe per source, in parallel (each reads and hashes the file).
    let mut paths: Vec<&str> = requests.iter().filter(|r| is_raster(&r.path)).map(|r| r.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    let probed: BTreeMap<&str, Result<(String, Header), String>> =
        paths.par_iter().map(|p| (*p, probe_source(&cache, &root.join("static").join(p)))).collect();

    let mut jobs: BTreeMap<String, SourceJob> = BTreeMap::new();
    let mut reported = std::collections::BTreeSet::new();
    let mut first_error: BTreeMap<String, (usize, std::collections::BTreeSet<String>)> = BTreeMap::new();
    for r in requests {
        let key = (r.path.clone(), r.use_, focus_key(r.focus));
        if plan.pictures.contains_key(&key) {
            continue;
        }
        if !is_raster(&r.path) {
            if let Some(p) = svg_picture(root, config, r) {
                plan.pictures.insert(key, p);
            }
            continue;
        }
        let header = match &probed[r.path.as_str()] {
            Ok((hash, h)) => (hash.clone(), *h),
            // A missing file was reported by validate.
            Err(e) if e == MISSING => continue,
            // Once per source, where it is first shown: a broken photo that
            // 10,000 stories share is one error, not 10,000.
            Err(e) => {
                if reported.insert((r.path.clone(), 0)) {
                    first_error.insert(r.path.clone(), (errors.len(), std::collections::BTreeSet::new()));
                    errors.push(
                        Diagnostic::new(&r.file, r.place(), format!("{} `{}` cannot be used: {e}", r.what, r.path))
                            .hint("save it again as a JPEG, PNG or WebP (File > Export in an image editor)"),
                    );
                } else if let Some((_, others)) = first_error.get_mut(&r.path) {
                    others.insert(r.file.clone());
                }
                continue;
            }
        };
        let (hash, h) = header;
        let pixels = u64::from(h.width) * u64::from(h.height);
        // Stripping reads the container, not the pixels: no size limit.
        if pixels > max_pixels && r.use_ != Use::Static {
            if reported.insert((r.path.clone(), 0)) {
                errors.push(
                    Diagnostic::at(
                        &r.file,
                        r.span.clone(),
                        format!(
                            "{} `{}` is {}×{} ({:.1} megapixels), more than the limit of {}",
                            r.what,
                            r.path,
                            h.width,
                            h.height,
                            pixels as f64 / 1e6,
                            images.max_megapixels
                        ),
                    )
                    .label("too large to decode safely")
                    .hint("resize it to at most 4000 pixels wide, or raise [images] max_megapixels in site.toml"),
                );
            }
            continue;
        }
        plan.hashes.insert(r.path.clone(), hash.clone());
        plan.replaced.insert(r.path.clone());
        let wanted = sizes.get(&r.use_).map(Vec::as_slice).unwrap_or(r.use_.default_sizes());
        let variants = variants(&r.path, &hash, h, r.use_, r.focus, wanted);
        match r.use_ {
            Use::Share => {
                let v = &variants[0];
                plan.share_crops.insert((r.path.clone(), key.2), cache.path("img", &v.hash, v.format.ext()));
            }
            Use::Static => {}
            _ => {
                plan.pictures.insert(key, picture(config, r.use_, &variants));
            }
        }
        let job = jobs.entry(r.path.clone()).or_insert_with(|| SourceJob {
            file: root.join("static").join(&r.path),
            at: (r.file.clone(), r.place(), r.what, r.path.clone()),
            variants: Vec::new(),
        });
        for v in variants {
            if !job.variants.iter().any(|o| o.out == v.out) {
                job.variants.push(v);
            }
        }
    }
    for (k, others) in first_error.into_values() {
        let n = others.iter().filter(|f| **f != errors[k].file).count();
        if n > 0 {
            errors[k].label = Some(format!(
                "{n} other file{} show{} it too",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" }
            ));
        }
    }
    plan.sources = jobs.into_values().collect();
    plan
}

const MISSING: &str = "missing";

/// The cache folder: `[images] cache_dir`, from the site root unless absolute.
pub fn cache_dir(root: &Path, images: &crate::load::config::Images) -> PathBuf {
    let dir = std::path::Path::new(&images.cache_dir.value);
    if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        root.join(dir)
    }
}

/// A cache folder inside a source folder would be read back as content (or
/// published from `static/`), and one that is the site folder would mix
/// entries with the site: both are refused. (Inside the output folder is
/// refused by the build, which knows where that is.)
fn refuse_cache_dir(images: &crate::load::config::Images) -> Option<Diagnostic> {
    let rel = std::path::Path::new(&images.cache_dir.value);
    if rel.is_absolute() {
        return None;
    }
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let inside_source = parts.first().is_some_and(|p| crate::write::SOURCE_FOLDERS.contains(&p.as_str()));
    if parts.is_empty() || inside_source || parts.iter().any(|p| p == "..") {
        Some(
            Diagnostic::at(crate::load::config::FILE, images.cache_dir.span.clone(), format!("`cache_dir` `{}` cannot hold the image cache", images.cache_dir.value))
                .label("the site folder, a source folder (content/, static/, templates/, themes/, i18n/) or outside the site by `..`")
                .hint("use a folder of its own, like cache_dir = \".storypath/cache\", or an absolute path"),
        )
    } else {
        None
    }
}

/// A source's content hash and header. The hash is of its bytes, so a
/// fresh checkout (new modification times) still finds its cache entries;
/// a small index entry keyed by path, size and modification time spares
/// reading and hashing unchanged sources on every build.
fn probe_source(cache: &cache::Cache, file: &std::path::Path) -> Result<(String, Header), String> {
    let meta = std::fs::metadata(file).map_err(|_| MISSING.to_string())?;
    let mtime = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).unwrap_or_default();
    let stamp = format!("{}|{}|{}|{}", PIPELINE, file.display(), meta.len(), mtime.as_nanos());
    let index = cache::hash(&[stamp.as_bytes()]);
    if let Some(text) = cache.get_text("sources", &index) {
        if let Some(found) = parse_index(&text) {
            return Ok(found);
        }
    }
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    let hash = cache::hash(&[PIPELINE.as_bytes(), &bytes]);
    let header = derive::probe(&bytes)?;
    let text = format!("{hash} {} {} {}\n", header.width, header.height, u8::from(header.alpha));
    let _ = cache.put("sources", &index, "txt", text.as_bytes());
    Ok((hash, header))
}

fn parse_index(text: &str) -> Option<(String, Header)> {
    let mut it = text.split_whitespace();
    let hash = it.next()?.to_string();
    let width = it.next()?.parse().ok()?;
    let height = it.next()?.parse().ok()?;
    let alpha = it.next()? == "1";
    (hash.len() == 64).then_some((hash, Header { width, height, alpha }))
}

/// The files of one request: each size that fits the source (never
/// enlarged), in WebP and the fallback.
fn variants(path: &str, hash: &str, h: Header, use_: Use, focus: (f64, f64), wanted: &[u32]) -> Vec<Variant> {
    if use_ == Use::Static {
        let rect = Rect { left: 0, top: 0, width: h.width, height: h.height };
        let key = cache::hash(&[PIPELINE.as_bytes(), hash.as_bytes(), b"stripped"]);
        return vec![Variant {
            rect,
            width: h.width,
            height: h.height,
            format: Format::Stripped,
            hash: key,
            out: path.into(),
        }];
    }
    let rect = match use_.aspect() {
        Some((aw, ah)) => derive::focal_crop(h.width, h.height, aw, ah, focus),
        None => Rect { left: 0, top: 0, width: h.width, height: h.height },
    };
    let scale = |w: u32| -> (u32, u32) {
        let hh = (f64::from(w) * f64::from(rect.height) / f64::from(rect.width)).round().max(1.0) as u32;
        (w, hh)
    };
    let mut sizes: Vec<(u32, u32)> = if use_ == Use::Logo {
        wanted
            .iter()
            .filter(|&&hh| hh <= rect.height)
            .map(|&hh| {
                let w = (f64::from(hh) * f64::from(rect.width) / f64::from(rect.height)).round().max(1.0) as u32;
                (w, hh)
            })
            .collect()
    } else {
        wanted.iter().filter(|&&w| w <= rect.width).map(|&w| scale(w)).collect()
    };
    if sizes.is_empty() {
        sizes.push(scale(rect.width));
    }
    sizes.sort_unstable();
    sizes.dedup();
    let fallback = if h.alpha { Format::Png } else { Format::Jpeg };
    let formats: &[Format] = if use_ == Use::Share { &[Format::Crop] } else { &[Format::Webp, fallback] };
    let (dir, stem) = match path.rsplit_once('/') {
        Some((d, f)) => (format!("{d}/"), f),
        None => (String::new(), path),
    };
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let mut out = Vec::new();
    for (w, hh) in sizes {
        for &format in formats {
            let spec = format!(
                "{:?} {} {} {} {} {w} {hh} {:?}",
                use_.name(),
                rect.left,
                rect.top,
                rect.width,
                rect.height,
                format
            );
            let key = cache::hash(&[PIPELINE.as_bytes(), hash.as_bytes(), spec.as_bytes()]);
            out.push(Variant {
                rect,
                width: w,
                height: hh,
                format,
                out: format!("{dir}{stem}.{w}x{hh}.{}.{}", &key[..10], format.ext()),
                hash: key,
            });
        }
    }
    out
}

/// The template's view of one request's files.
fn picture(config: &Config, use_: Use, variants: &[Variant]) -> Picture {
    // Encoded: a photo named `Team day, 2024.jpg` stays one srcset entry.
    let link = |v: &Variant| config.base.link(&crate::text::encode_path(&v.out));
    let set = |webp: bool| {
        variants
            .iter()
            .filter(|v| (v.format == Format::Webp) == webp)
            .map(|v| format!("{} {}w", link(v), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fallbacks: Vec<&Variant> = variants.iter().filter(|v| v.format != Format::Webp).collect();
    let shown = if use_ == Use::Body { fallbacks.last() } else { fallbacks.first() };
    let shown = shown.copied().unwrap_or(&variants[0]);
    let full = fallbacks.last().copied().unwrap_or(shown);
    let webp = variants.iter().find(|v| v.format == Format::Webp && v.width == shown.width);
    Picture {
        src: link(shown),
        webp: webp.map(link).unwrap_or_default(),
        width: shown.width,
        height: shown.height,
        srcset: set(false),
        webp_srcset: set(true),
        mime: shown.format.mime(),
        svg: false,
        full: crate::text::encode_path(&full.out),
        full_width: full.width,
        full_height: full.height,
        position: String::new(),
    }
}

/// An SVG (or other non-raster) image: linked as it is, sized from its own
/// `width`/`height` or `viewBox` when it says, else by the use's first
/// size.
fn svg_picture(root: &Path, config: &Config, r: &Request) -> Option<Picture> {
    let text = std::fs::read(root.join("static").join(&r.path)).ok()?;
    let nominal = r.use_.default_sizes()[0];
    let (w, h) = svg_size(&String::from_utf8_lossy(&text[..text.len().min(4096)]))
        .map(|(w, h)| match r.use_.aspect() {
            Some((aw, ah)) => (nominal, nominal * ah / aw),
            None if r.use_ == Use::Logo => ((f64::from(nominal) * w / h).round() as u32, nominal),
            None => (w.round() as u32, h.round() as u32),
        })
        .unwrap_or_else(|| {
            let (aw, ah) = r.use_.aspect().unwrap_or((1, 1));
            (nominal, nominal * ah / aw)
        });
    let src = config.base.link(&r.path);
    let (width, height) = (w.max(1), h.max(1));
    Some(Picture {
        webp: String::new(),
        full: r.path.clone(),
        src,
        width,
        height,
        srcset: String::new(),
        webp_srcset: String::new(),
        mime: "image/svg+xml",
        svg: true,
        full_width: width,
        full_height: height,
        position: format!("{}% {}%", (r.focus.0 * 100.0).round(), (r.focus.1 * 100.0).round()),
    })
}

/// The size an SVG's root element declares: `viewBox`, else `width` and
/// `height` in plain numbers or px.
pub fn svg_size(head: &str) -> Option<(f64, f64)> {
    let start = head.find("<svg")?;
    let tag = &head[start..start + head[start..].find('>')?];
    let attr = |name: &str| -> Option<&str> {
        let at = tag.find(&format!(" {name}="))? + name.len() + 2;
        let quote = tag[at..].chars().next()?;
        let rest = &tag[at + 1..];
        Some(&rest[..rest.find(quote)?])
    };
    if let Some(vb) = attr("viewBox") {
        let n: Vec<f64> = vb.split([' ', ',']).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
        if n.len() == 4 && n[2] > 0.0 && n[3] > 0.0 {
            return Some((n[2], n[3]));
        }
    }
    let num = |s: &str| s.trim_end_matches("px").parse::<f64>().ok().filter(|v| *v > 0.0);
    Some((num(attr("width")?)?, num(attr("height")?)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_the_view_box_or_the_attributes() {
        assert_eq!(svg_size(r#"<svg xmlns="x" viewBox="0 0 220 48">"#), Some((220.0, 48.0)));
        assert_eq!(svg_size(r#"<?xml?><svg width="64px" height='32'>"#), Some((64.0, 32.0)));
        assert_eq!(svg_size("<svg>"), None);
    }

    #[test]
    fn sizes_never_enlarge_and_logos_go_by_height() {
        let h = Header { width: 1000, height: 500, alpha: false };
        let v = variants("img/a.jpg", &"0".repeat(64), h, Use::Avatar, (0.5, 0.5), &[240, 480, 960]);
        let sizes: Vec<(u32, u32)> = v.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, [(240, 240), (240, 240), (480, 480), (480, 480)]);
        assert!(v[0].out.starts_with("img/a.240x240.") && v[0].out.ends_with(".webp"), "{}", v[0].out);
        assert!(v[1].out.ends_with(".jpg"));
        let logo = variants("logo.png", &"0".repeat(64), Header { alpha: true, ..h }, Use::Logo, (0.5, 0.5), &[48, 96]);
        assert_eq!((logo[0].width, logo[0].height, logo[1].format), (96, 48, Format::Png));
        let tiny = variants(
            "t.jpg",
            &"0".repeat(64),
            Header { width: 100, height: 80, alpha: false },
            Use::Body,
            (0.5, 0.5),
            &[480],
        );
        assert_eq!((tiny[0].width, tiny[0].height), (100, 80), "a small image keeps its size");
    }
}
