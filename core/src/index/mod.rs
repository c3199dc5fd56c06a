//! The compact index the browser downloads, written by the indexer and read
//! by the query engine. The boundary between the two is these file formats.
//!
//! One build of the index is a set of files that all carry the build's id
//! (a content hash of the whole index) in their names and inside; the
//! manifest names the build and holds the small directories that say which
//! file a term, a document or an id is in. A query fetches only the files it
//! needs, which the engine names ([`FileId`]) when they are missing.
//!
//! - [`manifest`]: format version, build id, directories (`manifest.bin`);
//! - [`dict`]: dictionary pages, terms in ranges, with small postings inline;
//! - [`postings`]: the postings list encoding, and chunks of large lists;
//! - [`columns`]: per-document facet values, and amounts, in blocks of documents;
//! - [`ids`]: record id → document, in pages of sorted ids;
//! - [`overview`]: totals and counts over all records, precomputed;
//! - [`docs`]: result summaries; records; both in blocks ([`codec`]).

pub mod bytes;
pub mod codec;
pub mod columns;
pub mod dict;
pub mod docs;
pub mod ids;
pub mod manifest;
pub mod overview;
pub mod postings;

/// A file of one build of the index, as the engine asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileId {
    Dict(u32),
    Postings(u32),
    Columns(u32),
    Amounts(u32),
    Ids(u32),
    Docs(u32),
    Records(u32),
    Overview,
    /// The totals of one place (`place-<region code>`), for its page.
    Place(u32),
}

impl FileId {
    /// The file's name: `<kind>-<n>.<build>.bin`.
    pub fn name(self, build: &str) -> String {
        let (kind, n) = match self {
            FileId::Dict(n) => ("dict", n),
            FileId::Postings(n) => ("postings", n),
            FileId::Columns(n) => ("columns", n),
            FileId::Amounts(n) => ("amounts", n),
            FileId::Ids(n) => ("ids", n),
            FileId::Docs(n) => ("docs", n),
            FileId::Records(n) => ("records", n),
            FileId::Place(code) => return format!("place-{code:06}.{build}.bin"),
            FileId::Overview => return format!("overview.{build}.bin"),
        };
        format!("{kind}-{n}.{build}.bin")
    }
}
