//! storypath: a static-site generator for employer-brand career stories.
//!
//! The pipeline, one module per stage, shared by every command:
//! [`load`] -> [`validate`] -> [`model`] -> [`render`] (with [`map`]) -> [`write`],
//! driven by [`pipeline`]. [`serve`] runs the same pipeline into memory and
//! serves it.

pub mod diagnostics;
pub mod load;
pub mod map;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod text;
pub mod validate;
pub mod write;
