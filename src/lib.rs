//! storypath: a static-site generator for employer-brand career stories.
//!
//! The pipeline, one module per stage, shared by every command:
//! [`load`] -> [`validate`] -> [`model`] -> [`render`] (with [`map`]) -> [`write`],
//! driven by [`pipeline`]. [`serve`] runs the same pipeline into memory and
//! serves it; [`scaffold`] writes a starter site and new stories.

// A `Diagnostic` (file, span, message, label, hint, severity) is the error
// type of many stages; it is made once per problem, off the hot path, so
// boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod clock;
pub mod cms;
pub mod color;
pub mod diagnostics;
pub mod i18n;
pub mod ids;
pub mod load;
pub mod map;
pub mod media;
pub mod model;
pub mod pipeline;
pub mod pull;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod term;
pub mod text;
pub mod validate;
pub mod write;
