//! No input may make storypath panic: the pipeline runs in-process on a story
//! and a ladder cut at every byte and mutated with a fixed seed. Each run
//! either builds or reports errors that name a file.

mod common;
use common::fuzz::{Rng, PIECES};
use common::*;
use std::path::Path;
use storypath::pipeline::{self, Options};

fn run(site: &Path, out: &Path) {
    let opts = Options { root: site.to_path_buf(), output_dir: Some(out.to_path_buf()), ..Default::default() };
    match pipeline::build(&opts) {
        Ok(_) => {}
        Err(f) => {
            assert!(!f.errors.is_empty());
            let report = f.report();
            assert!(report.contains("--> ") || report.contains("= in "), "an error names no file:\n{report}");
        }
    }
}

fn mutate_file(rel: &str, cuts: bool, seed: u64, rounds: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = tmp.path().join("out");
    copy_dir(&repo().join("tests/sites/small"), &site);
    let original = std::fs::read(site.join(rel)).unwrap();
    if cuts {
        for cut in 0..original.len() {
            std::fs::write(site.join(rel), &original[..cut]).unwrap();
            run(&site, &out);
        }
    }
    let mut rng = Rng(seed);
    for _ in 0..rounds {
        let mut bytes = original.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len() + 1);
            match rng.below(3) {
                0 => {
                    let piece = PIECES[rng.below(PIECES.len())];
                    bytes.splice(at..at, piece.iter().copied());
                }
                1 => {
                    let end = (at + 1 + rng.below(12)).min(bytes.len());
                    bytes.drain(at.min(end)..end);
                }
                _ => {
                    if at < bytes.len() {
                        bytes[at] = rng.next() as u8;
                    }
                }
            }
        }
        std::fs::write(site.join(rel), &bytes).unwrap();
        run(&site, &out);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

#[test]
fn story_cut_anywhere_or_mutated_never_panics() {
    mutate_file("content/stories/bo.md", true, 0x5eed_0001, 300);
}

#[test]
fn ladder_cut_anywhere_or_mutated_never_panics() {
    mutate_file("content/ladder.toml", true, 0x5eed_0002, 300);
}

#[test]
fn site_toml_mutated_never_panics() {
    mutate_file("site.toml", false, 0x5eed_0003, 200);
}
