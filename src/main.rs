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
use storypath::pipeline::{self, Options};
use storypath::{scaffold, serve};

#[derive(Parser)]
#[command(name = "storypath", version, about = "Careers microsites from career stories and a role ladder")]
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
    /// Load and validate the site without writing anything
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat the content report's warnings as errors (exit 1)
        #[arg(long)]
        strict: bool,
        /// `json` prints errors and warnings as JSON on stdout, for CI annotations
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// A new career story, as a draft: content/stories/<slug>.md
    Story {
        /// The person's full name ("Zoë Núñez" -> zoe-nunez.md)
        name: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Prints `format!` arguments and a newline on stdout (see [`term`]).
macro_rules! say {
    ($($arg:tt)*) => { term::write(term::Stream::Out, format_args!("{}\n", format_args!($($arg)*))) };
}

/// Prints `format!` arguments and a newline on stderr (see [`term`]).
macro_rules! tell {
    ($($arg:tt)*) => { term::write(term::Stream::Err, format_args!("{}\n", format_args!($($arg)*))) };
}

/// Writes to stdout and stderr that never panic.
///
/// The contract, also in the README: when a reader closes the pipe (EPIPE),
/// that stream goes quiet for the rest of the run and the exit status is the
/// command's own (the reader chose to stop: `check --format json | head`
/// still exits 1 for a site with errors, 0 for a good one). Any other failed
/// write (a full disk, an I/O error) drops the rest of that stream, says so
/// on stderr when it can, and makes a run that would have exited 0 exit 1:
/// what was asked for was not delivered. The command itself always runs to
/// its end (a build's output is swapped in either way).
mod term {
    use std::fmt::Arguments;
    use std::io::{self, Write};
    use std::sync::atomic::{AtomicU8, Ordering};

    #[derive(Clone, Copy)]
    pub enum Stream {
        Out = 0,
        Err = 1,
    }

    const OPEN: u8 = 0;
    /// The reader went away: nothing more is written, the status is kept.
    const CLOSED: u8 = 1;
    /// The write failed for another reason: the status becomes at least 1.
    const FAILED: u8 = 2;
    static STATE: [AtomicU8; 2] = [AtomicU8::new(OPEN), AtomicU8::new(OPEN)];

    pub fn write(stream: Stream, args: Arguments<'_>) {
        let state = &STATE[stream as usize];
        if state.load(Ordering::Relaxed) != OPEN {
            return;
        }
        // Flushed at once, so a failure is seen here and not lost at exit.
        let result = match stream {
            Stream::Out => {
                let mut out = io::stdout().lock();
                out.write_fmt(args).and_then(|()| out.flush())
            }
            Stream::Err => io::stderr().lock().write_fmt(args),
        };
        let Err(e) = result else { return };
        if e.kind() == io::ErrorKind::BrokenPipe {
            state.store(CLOSED, Ordering::Relaxed);
            return;
        }
        state.store(FAILED, Ordering::Relaxed);
        if let Stream::Out = stream {
            write(Stream::Err, format_args!("error: cannot write to stdout: {e}\n"));
        }
    }

    /// The exit status for a command that wanted `code`.
    pub fn status(code: u8) -> u8 {
        let failed = STATE.iter().any(|s| s.load(Ordering::Relaxed) == FAILED);
        if code == 0 && failed {
            1
        } else {
            code
        }
    }
}

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
                    tell!(
                        "Built {} stories, {} files into {} in {} ms",
                        b.site.stories.len(),
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
        Command::Serve { root, interface, port, drafts, open } => {
            match serve::serve(serve::ServeOptions { root, interface, port, drafts, open }) {
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
        Command::New { what: NewCommand::Story { name, root } } => {
            match scaffold::new_story(&root, &name, storypath::clock::today()) {
                Ok(rel) => {
                    say!("Created {} (a draft: `storypath serve --drafts` shows it).", rel.display());
                    0
                }
                Err(e) => scaffold_failed(&e),
            }
        }
        Command::Check { root, strict, format } => check(root, strict, format),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// `storypath check`: errors fail; warnings fail only with `--strict`.
fn check(root: PathBuf, strict: bool, format: Format) -> u8 {
    let opts = Options { root, ..Default::default() };
    let result = pipeline::check(&opts, storypath::clock::today());
    let (errors, warnings, sources) = match &result {
        Ok(c) => (&[][..], &c.warnings[..], &c.sources),
        Err(f) => (&f.errors[..], &[][..], &f.sources),
    };
    let failed = !errors.is_empty() || (strict && !warnings.is_empty());
    if format == Format::Json {
        let doc = serde_json::json!({
            "errors": sources.to_json(errors),
            "warnings": sources.to_json(warnings),
            "strict": strict,
            "ok": !failed,
        });
        say!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return u8::from(failed);
    }
    let c = match result {
        Ok(c) => c,
        Err(f) => return fail(&f),
    };
    term::write(term::Stream::Err, format_args!("{}", c.sources.render(&c.warnings)));
    let n = c.warnings.len();
    let warned = if n == 0 { String::new() } else { format!("; {n} warning{}", plural(n)) };
    let (stories, pages) = (c.site.stories.len(), c.site.pages.len());
    tell!(
        "No errors: {stories} stor{}, {pages} page{}{warned}.",
        if stories == 1 { "y" } else { "ies" },
        plural(pages)
    );
    if failed {
        tell!("error: --strict makes the {n} warning{} errors", plural(n));
        return 1;
    }
    0
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
