//! The `storypath` command line. Exit status: 0 success, 1 the site has
//! errors, 2 wrong usage (clap's own exit code for usage errors).
//!
//! Nothing here prints with `println!`/`eprintln!`: they panic (exit 101)
//! when the terminal is gone, a pipe's reader has left (`check | head`;
//! Rust ignores SIGPIPE, so the write returns EPIPE) or the disk is full.
//! [`term`] prints instead and turns such failures into an exit status.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use storypath::diagnostics::{Diagnostic, Severity};
use storypath::pipeline::{self, Options};
use storypath::{report, scaffold, serve};

#[derive(Parser)]
#[command(name = "storypath", version = env!("STORYPATH_VERSION"), about = "Careers microsites from career stories and a role ladder")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default)
    Build {
        /// The site's folder (holding site.toml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: public/ inside the root)
        #[arg(long)]
        output_dir: Option<PathBuf>,
        /// Override site.toml's base_url for this build
        #[arg(long)]
        base_url: Option<String>,
        /// Publish stories and pages marked draft
        #[arg(long)]
        drafts: bool,
        /// No progress line and no summary line (errors are still printed)
        #[arg(long, short)]
        quiet: bool,
    },
    /// Serve the site locally, rebuilding and reloading the browser on every save
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on (loopback unless you say otherwise)
        #[arg(long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// The port (default 1111, or a free one if 1111 is taken; 0 for any free port)
        #[arg(long)]
        port: Option<u16>,
        /// Publish stories and pages marked draft
        #[arg(long)]
        drafts: bool,
        /// Open the site in the browser
        #[arg(long)]
        open: bool,
        /// Also answer requests for this host name (e.g. the machine's LAN name; repeatable).
        /// Others than localhost, 127.0.0.1, [::1] and the listening address get 403
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Create a new site that builds and serves at once
    Init {
        /// The folder to create it in
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The built-in theme to use
        #[arg(long, default_value = "horizon")]
        theme: String,
        /// Write into a folder that is not empty (adds missing starter files; never replaces a changed one)
        #[arg(long)]
        force: bool,
    },
    /// Create a new piece of content
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Write static/admin/ (Decap CMS) from the ladder, tags and origins; run it again after changing them
    Cms {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Empty the image and share-card cache ([images] cache_dir, default .storypath/cache)
    Clean {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Open positions: `jobs pull` writes content/jobs.json from an ATS's public job board
    Jobs {
        #[command(subcommand)]
        what: JobsCommand,
    },
    /// Load and validate the site without writing anything
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat the content report's warnings as errors (exit 1)
        #[arg(long)]
        strict: bool,
        /// How to print the report: `json`, `github` (workflow annotations) and
        /// `gitlab` (a Code Quality report) go to stdout, for CI
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// A new career story, as a draft: content/stories/<slug>.md
    Story {
        /// The person's full name ("Zoë Núñez" -> zoe-nunez.md)
        #[arg(required_unless_present = "translate")]
        name: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The story's language, one of site.toml's [languages] (-> zoe-nunez.fr.md)
        #[arg(long)]
        lang: Option<String>,
        /// Start the --lang translation of this story (its slug): a copy beside it to translate
        #[arg(long, requires = "lang", value_name = "SLUG")]
        translate: Option<String>,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Read a public job board (Greenhouse, Lever, Ashby; no key) or a saved export of one
    /// and write the normalised jobs file. The only command that uses the network
    Pull(PullArgs),
}

#[derive(clap::Args)]
struct PullArgs {
    #[command(flatten)]
    source: PullSource,
    /// The ATS whose response --url holds
    #[arg(long, value_enum, requires = "url", conflicts_with_all = ["greenhouse", "lever", "ashby"])]
    format: Option<AtsFormat>,
    /// The site's folder: writes content/jobs.json inside it
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Write this file instead of content/jobs.json under the root
    #[arg(long)]
    out: Option<PathBuf>,
    /// Give up on a request after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
}

#[derive(clap::Args)]
#[group(required = true, multiple = false)]
struct PullSource {
    /// A Greenhouse board token (boards.greenhouse.io/BOARD)
    #[arg(long, value_name = "BOARD")]
    greenhouse: Option<String>,
    /// A Lever company name (jobs.lever.co/COMPANY)
    #[arg(long, value_name = "COMPANY")]
    lever: Option<String>,
    /// An Ashby job board name (jobs.ashbyhq.com/ORG)
    #[arg(long, value_name = "ORG")]
    ashby: Option<String>,
    /// A saved API response: an http(s):// or file:// URL, or a file path (with --format)
    #[arg(long, value_name = "URL", requires = "format")]
    url: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum AtsFormat {
    Greenhouse,
    Lever,
    Ashby,
}

use storypath::{say, tell, term};

fn main() -> ExitCode {
    let cli = Cli::parse();
    ExitCode::from(term::status(run(cli)))
}

/// Runs one command and returns its exit status.
fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Build { root, output_dir, base_url, drafts, quiet } => {
            let start = Instant::now();
            let progress = !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
            let opts = Options { root, output_dir, base_url, drafts, progress };
            let out = opts.output_dir.clone().unwrap_or_else(|| opts.root.join("public"));
            // Ctrl-C or SIGTERM: stop writing, keep the old output (see `write`).
            let _ = ctrlc::set_handler(storypath::write::interrupt);
            match pipeline::build(&opts) {
                Ok(_) if quiet => 0,
                Ok(b) => {
                    let made = match b.images_made {
                        0 => String::new(),
                        n => format!(" ({n} image{} made, the rest from the cache)", plural(n)),
                    };
                    tell!(
                        "Built {} stories, {} files{made} into {} in {} ms",
                        b.counts.0,
                        b.files,
                        out.display(),
                        start.elapsed().as_millis()
                    );
                    0
                }
                Err(_) if storypath::write::interrupted() => {
                    tell!("Interrupted: nothing was written; {} is as it was", out.display());
                    // 128 + SIGINT, as shells expect of a program stopped by Ctrl-C.
                    130
                }
                Err(f) => {
                    let code = fail(&f);
                    tell!("note: nothing was written; {} is as it was", out.display());
                    code
                }
            }
        }
        Command::Serve { root, interface, port, drafts, open, allow_host } => {
            match serve::serve_allowing(serve::ServeOptions { root, interface, port, drafts, open }, &allow_host) {
                Ok(()) => 0,
                Err(serve::ServeError::Bind(msg)) => {
                    tell!("error: {msg}\n  = help: pick another port with --port, or --port 0 for any free one");
                    2
                }
                Err(serve::ServeError::Other(msg)) => {
                    tell!("error: {msg}");
                    1
                }
            }
        }
        Command::Init { dir, theme, force } => match scaffold::init(&dir, &theme, force, storypath::clock::today()) {
            Ok(done) => {
                if done.kept.is_empty() {
                    say!("Created a site in {} ({} files).", dir.display(), done.written.len());
                } else {
                    say!(
                        "Added {} starter files to {} ({} already there, left as they were).",
                        done.written.len(),
                        dir.display(),
                        done.kept.len()
                    );
                }
                say!("Preview it:  storypath serve --root {}", dir.display());
                say!("Write a story:  storypath new story \"Full Name\" --root {}", dir.display());
                0
            }
            Err(e) => scaffold_failed(&e),
        },
        Command::New { what: NewCommand::Story { name, root, lang, translate } } => {
            let made = match (&translate, &lang) {
                (Some(slug), Some(lang)) => scaffold::translate_story(&root, slug, lang).map(|rel| (rel, false)),
                _ => scaffold::new_story(
                    &root,
                    name.as_deref().unwrap_or(""),
                    lang.as_deref(),
                    storypath::clock::today(),
                )
                .map(|rel| (rel, true)),
            };
            match made {
                Ok((rel, true)) => {
                    say!("Created {} (a draft: `storypath serve --drafts` shows it).", rel.display());
                    0
                }
                Ok((rel, false)) => {
                    say!(
                        "Created {}: translate its texts; `storypath check` compares it with the original.",
                        rel.display()
                    );
                    0
                }
                Err(e) => scaffold_failed(&e),
            }
        }
        Command::Jobs { what: JobsCommand::Pull(args) } => jobs_pull(args),
        Command::Check { root, strict, format } => check(root, strict, format),
        Command::Cms { root } => cms(root),
        Command::Clean { root } => match pipeline::clean(&root) {
            Ok((dir, c)) => {
                say!("Removed {} cached files ({} KB) from {}.", c.files, c.bytes / 1024, dir.display());
                0
            }
            Err(f) => fail(&f),
        },
    }
}

/// `storypath jobs pull`: 0 written (or unchanged), 1 any failure (the old file kept).
fn jobs_pull(args: PullArgs) -> u8 {
    use storypath::pull::{self, Ats, Source};
    let s = args.source;
    let source = match (s.greenhouse, s.lever, s.ashby, s.url, args.format) {
        (Some(name), ..) => Source::Api { ats: Ats::Greenhouse, name },
        (_, Some(name), ..) => Source::Api { ats: Ats::Lever, name },
        (_, _, Some(name), ..) => Source::Api { ats: Ats::Ashby, name },
        (_, _, _, Some(url), Some(f)) => {
            let ats = match f {
                AtsFormat::Greenhouse => Ats::Greenhouse,
                AtsFormat::Lever => Ats::Lever,
                AtsFormat::Ashby => Ats::Ashby,
            };
            Source::Url { ats, url }
        }
        // clap's group and `requires` refuse these (exit 2) before here.
        _ => return 2,
    };
    let out = match args.out {
        Some(out) => out,
        None => {
            if !args.root.is_dir() {
                tell!(
                    "error: the site folder {} does not exist\n  = help: give the site's folder with --root",
                    args.root.display()
                );
                return 1;
            }
            let out = args.root.join(storypath::load::jobs_file::FILE);
            // A new site may have no content/ yet.
            if let Some(content) = out.parent() {
                let _ = std::fs::create_dir_all(content);
            }
            out
        }
    };
    let opts = pull::PullOptions { source, out: out.clone(), timeout: std::time::Duration::from_secs(args.timeout) };
    match pull::pull(&opts) {
        Ok(p) => {
            let n = p.jobs;
            let what = if p.written { "wrote" } else { "unchanged:" };
            say!("Pulled {n} opening{} from {}; {what} {}", plural(n), p.source, out.display());
            0
        }
        Err(e) => {
            tell!("{e}");
            1
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    /// GitHub Actions workflow commands (annotations on the changed lines)
    Github,
    /// A GitLab Code Quality report (JSON)
    Gitlab,
}

/// `storypath check`: errors, and warnings of codes site.toml's `[check]`
/// denies, fail; the other warnings fail only with `--strict`.
fn check(root: PathBuf, strict: bool, format: Format) -> u8 {
    let opts = Options { root, ..Default::default() };
    let result = pipeline::check(&opts, storypath::clock::today());
    let (report, sources) = match &result {
        Ok(c) => (&c.warnings[..], &c.sources),
        Err(f) => (&f.errors[..], &f.sources),
    };
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        report.iter().cloned().partition(|d| d.severity == Severity::Error);
    let failed = !errors.is_empty() || (strict && !warnings.is_empty());
    match format {
        Format::Json => {
            let doc = serde_json::json!({
                "errors": sources.to_json(&errors),
                "warnings": sources.to_json(&warnings),
                "strict": strict,
                "ok": !failed,
            });
            say!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            return u8::from(failed);
        }
        Format::Github => say!("{}", report::ci::github(sources, report).trim_end()),
        Format::Gitlab => say!("{}", report::ci::gitlab(sources, report)),
        Format::Text => {}
    }
    let c = match result {
        Ok(c) => c,
        Err(f) if format == Format::Text => return fail(&f),
        Err(f) => {
            let n = f.errors.len();
            tell!("error: the site has {n} error{}", plural(n));
            return 1;
        }
    };
    if format == Format::Text {
        term::write(term::Stream::Err, format_args!("{}", c.sources.render(&c.warnings)));
    }
    let (stories, pages) = c.counts;
    let n = warnings.len();
    let warned = if n == 0 { String::new() } else { format!("; {n} warning{}", plural(n)) };
    let counted =
        format!("{stories} stor{}, {pages} page{}{warned}", if stories == 1 { "y" } else { "ies" }, plural(pages));
    if !errors.is_empty() {
        let d = errors.len();
        tell!("error: {d} denied warning{} ([check] deny in site.toml): {counted}", plural(d));
        return 1;
    }
    tell!("No errors: {counted}.");
    if failed {
        tell!("error: --strict makes the {n} warning{} errors", plural(n));
        return 1;
    }
    0
}

/// `storypath cms`: 0 written, 1 the site has errors or a file is not ours.
fn cms(root: PathBuf) -> u8 {
    let opts = pipeline::Options { root, drafts: true, ..Default::default() };
    let site = match pipeline::prepare(&opts) {
        Ok(p) => p.site,
        Err(f) => return fail(&f),
    };
    match storypath::cms::write(&site) {
        Ok(w) => {
            say!(
                "Wrote {}/config.yml and index.html: {} roles, {} tags, {} origins.",
                storypath::cms::DIR,
                w.roles,
                w.tags,
                w.origins
            );
            say!("Edit on this computer: `npx decap-server` in the site folder, `storypath serve`, then open the site's admin/ page.");
            0
        }
        Err(e) => fail(&pipeline::Failure { sources: Default::default(), errors: vec![e] }),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn scaffold_failed(e: &scaffold::ScaffoldError) -> u8 {
    let (message, hint) = e.message();
    tell!("error: {message}\n  = help: {hint}");
    match e {
        scaffold::ScaffoldError::Usage(..) => 2,
        scaffold::ScaffoldError::Refused(..) => 1,
    }
}

fn fail(f: &pipeline::Failure) -> u8 {
    term::write(term::Stream::Err, format_args!("{}", f.report()));
    1
}
