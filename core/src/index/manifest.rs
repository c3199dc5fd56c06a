//! The manifest: the one small file the app loads first (`manifest.bin`,
//! see [`super::codec`]; `manifest.json` is the same content for people). It
//! names the build (every other file carries the build id in its name and
//! inside, so stale or mixed files are detected), holds the directories that
//! say which file a term or an id is in, and the numbers of blocks.

use serde::{Deserialize, Serialize};

/// Bumped whenever any index file changes layout; the app refuses other versions.
pub const FORMAT_VERSION: u32 = 8;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldInfo {
    pub name: String,
    pub weight: f32,
    /// Mean length in tokens, for BM25 (scores are computed at build time).
    pub average_length: f32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Blocks {
    /// Documents per block; document `d` is in block `d / size`.
    pub size: u32,
    pub count: u32,
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
    /// Content hash of the whole build (16 hex digits), in every file name.
    pub build: String,
    pub doc_count: u32,
    pub fields: Vec<FieldInfo>,
    /// First term of each dictionary page.
    pub dictionary: Vec<String>,
    pub postings_chunks: u32,
    pub columns: Blocks,
    /// First id of each ids page.
    pub ids: Vec<String>,
    /// Result-card summaries ([`super::docs::DocSummary`]).
    pub docs: Blocks,
    /// Full records (project pages, comparison).
    pub records: Blocks,
    /// Query-time synonym groups (every member expands to all others).
    pub synonyms: Vec<Vec<String>>,
    pub downloads: Downloads,
    /// Static per-project pages: `pages/<id>.html`.
    pub pages_dir: String,
    /// Pages of place names ([`super::places`]).
    pub place_pages: u32,
}

impl Manifest {
    pub fn dict_page(&self, term: &str) -> Option<u32> {
        super::dict::page_for(&self.dictionary, term).map(|p| p as u32)
    }

    pub fn ids_page(&self, id: &str) -> Option<u32> {
        super::dict::page_for(&self.ids, id).map(|p| p as u32)
    }

    pub fn columns_block(&self, doc: u32) -> u32 {
        doc / self.columns.size.max(1)
    }

    pub fn doc_block(&self, doc: u32) -> u32 {
        doc / self.docs.size.max(1)
    }

    pub fn record_block(&self, doc: u32) -> u32 {
        doc / self.records.size.max(1)
    }
}
