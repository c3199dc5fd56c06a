//! The compact index the browser downloads, written by the indexer and read
//! by the query engine. The boundary between the two is these file formats.
//!
//! - [`manifest`]: names every other file (content-hashed), format version;
//! - [`terms`]: term shards (dictionary + postings with positions);
//! - [`columns`]: per-document numbers for BM25, filters, facets, sorting;
//! - [`docs`]: result summaries, in blocks;
//! - records ([`crate::model::Record`]) in blocks;
//! - [`codec`]: the binary form of the manifest, summaries and records.

pub mod bytes;
pub mod codec;
pub mod columns;
pub mod docs;
pub mod manifest;
pub mod terms;
