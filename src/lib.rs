//! storypath: a static-site generator for employer-brand career stories.
//!
//! The pipeline, one module per stage, shared by every command:
//! [`load`] -> [`validate`] -> [`model`] -> [`render`] (with [`map`]) -> [`write`],
//! driven by [`pipeline`].

pub mod diagnostics;
pub mod load;
pub mod map;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod text;
pub mod validate;
pub mod write;
