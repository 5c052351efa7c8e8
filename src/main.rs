//! The `storypath` command line. Exit status: 0 success, 1 the site has
//! errors, 2 wrong usage (clap's own exit code for usage errors).

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use storypath::pipeline::{self, Options};
use storypath::serve;

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
    /// Load and validate the site without writing anything
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Reserved for warnings (see the README); errors always fail
        #[arg(long)]
        strict: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, output_dir, base_url, drafts } => {
            let start = Instant::now();
            let opts = Options { root, output_dir, base_url, drafts };
            let out = opts.output_dir.clone().unwrap_or_else(|| opts.root.join("public"));
            match pipeline::build(&opts) {
                Ok(b) => {
                    eprintln!(
                        "Built {} stories, {} files into {} in {} ms",
                        b.site.stories.len(),
                        b.files,
                        out.display(),
                        start.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(f) => {
                    let code = fail(&f);
                    eprintln!("note: nothing was written; {} is as it was", out.display());
                    code
                }
            }
        }
        Command::Serve { root, interface, port, drafts, open } => {
            match serve::serve(serve::ServeOptions { root, interface, port, drafts, open }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(serve::ServeError::Bind(msg)) => {
                    eprintln!("error: {msg}\n  = help: pick another port with --port, or --port 0 for any free one");
                    ExitCode::from(2)
                }
                Err(serve::ServeError::Other(msg)) => {
                    eprintln!("error: {msg}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check { root, strict: _ } => {
            let opts = Options { root, ..Default::default() };
            match pipeline::check(&opts) {
                Ok(site) => {
                    eprintln!("No errors: {} stories, {} pages.", site.stories.len(), site.pages.len());
                    ExitCode::SUCCESS
                }
                Err(f) => fail(&f),
            }
        }
    }
}

fn fail(f: &pipeline::Failure) -> ExitCode {
    eprint!("{}", f.report());
    ExitCode::from(1)
}
