//! Measures path-map SVGs: one Markdown table row per file (crossings,
//! edge–node intrusions, edges through labels, overlaps, size, smallest
//! on-screen font at 1280 and 375 px, whether it fits the content column).
//! See `storypath::map::quality` for what each number means.
//!
//! ```sh
//! cargo run --example map_quality -- public/map.svg other.svg
//! cargo run --example map_quality -- --dot public/map.svg   # also draws the same graph with Graphviz dot
//! cargo run --example map_quality -- --css my-theme.css public/map.svg
//! ```
//!
//! `--dot` writes `<file>.dot`/`<file>.dot.svg` (a cluster per track, as our
//! bands) and `<file>.dot-free`/`<file>.dot-free.svg` (no clusters) beside
//! each map (dot must be on PATH: Debian's `graphviz`) and adds a row for
//! each of dot's drawings.
//! `--css` reads the content column from a theme's stylesheet (default: the
//! horizon theme's figures).

use storypath::map::quality::{self, Column};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let with_dot = take_flag(&mut args, "--dot");
    let col = match take_value(&mut args, "--css") {
        Some(path) => Column::from_css(&read(&path)),
        None => Column::HORIZON,
    };
    if args.is_empty() || args.iter().any(|a| a.starts_with('-')) {
        eprintln!("usage: map_quality [--dot] [--css STYLE.css] MAP.svg [MAP.svg ...]");
        std::process::exit(2);
    }
    println!("{}", quality::TABLE_HEADER);
    let mut failed = false;
    for path in &args {
        let drawing = match quality::parse(&read(path)) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
                continue;
            }
        };
        println!("{}", quality::table_row(path, &quality::measure(&drawing), &col));
        // dot with a cluster per track (like our bands), then free to interleave them.
        for (clusters, suffix) in [(true, "dot"), (false, "dot-free")].into_iter().filter(|_| with_dot) {
            let dot = quality::to_dot(&drawing, clusters);
            let _ = std::fs::write(format!("{path}.{suffix}"), &dot);
            match quality::dot_svg(&dot) {
                Ok(svg) => {
                    let _ = std::fs::write(format!("{path}.{suffix}.svg"), &svg);
                    match quality::measure_svg(&svg) {
                        Ok(q) => println!("{}", quality::table_row(&format!("{path} ({suffix})"), &q, &col)),
                        Err(e) => eprintln!("{path}: dot's drawing: {e}"),
                    }
                }
                Err(e) => {
                    eprintln!("{path}: {e}");
                    failed = true;
                }
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    })
}

fn take_flag(args: &mut Vec<String>, flag: &str) -> bool {
    let before = args.len();
    args.retain(|a| a != flag);
    args.len() != before
}

fn take_value(args: &mut Vec<String>, flag: &str) -> Option<String> {
    let i = args.iter().position(|a| a == flag)?;
    args.remove(i);
    (i < args.len()).then(|| args.remove(i))
}
