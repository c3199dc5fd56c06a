//! The manifest: the one small file the app loads first (`manifest.bin`,
//! see [`super::codec`]; `manifest.json` is the same content for people). It names every
//! other index file (each with a content hash in its name and its size, so a
//! stale or corrupted file is detected), and carries the few numbers ranking
//! needs before any shard arrives.

use serde::{Deserialize, Serialize};

/// Bumped whenever any index file changes layout; the app refuses other versions.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileRef {
    /// Path relative to the manifest.
    pub file: String,
    pub bytes: u64,
    /// FNV-1a 64 of the content, 16 hex digits (also in the name).
    pub hash: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TermShardRef {
    /// The shard holds terms from this one (inclusive) to the next shard's first.
    pub first: String,
    #[serde(flatten)]
    pub file: FileRef,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldInfo {
    pub name: String,
    pub weight: f32,
    /// Mean length in tokens, for BM25.
    pub average_length: f32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Blocks {
    /// Documents per block; document `d` is in block `d / size`.
    pub size: u32,
    pub files: Vec<FileRef>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Downloads {
    pub json: String,
    pub csv: String,
    pub datapackage: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub doc_count: u32,
    pub fields: Vec<FieldInfo>,
    pub term_shards: Vec<TermShardRef>,
    pub columns: FileRef,
    /// Result-card summaries ([`super::docs::DocSummary`]).
    pub docs: Blocks,
    /// Full records (project pages, comparison).
    pub records: Blocks,
    /// Query-time synonym groups (every member expands to all others).
    pub synonyms: Vec<Vec<String>>,
    pub downloads: Downloads,
    /// Static per-project pages: `pages/<id>.html`.
    pub pages_dir: String,
}

impl Manifest {
    /// The shard whose term range holds `term`.
    pub fn shard_for(&self, term: &str) -> Option<usize> {
        match self.term_shards.binary_search_by(|s| s.first.as_str().cmp(term)) {
            Ok(i) => Some(i),
            Err(0) => None,
            Err(i) => Some(i - 1),
        }
    }

    pub fn doc_block(&self, doc: u32) -> usize {
        (doc / self.docs.size.max(1)) as usize
    }

    pub fn record_block(&self, doc: u32) -> usize {
        (doc / self.records.size.max(1)) as usize
    }
}
